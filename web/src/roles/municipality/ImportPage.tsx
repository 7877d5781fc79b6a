import { useState } from 'react';
import { upload } from '../../api/client';
import { useI18n } from '../../i18n';
import { Done, ErrorBox, Field } from '../../ui';

type Answer = { imported: number; duplicates: number; rejected: { line: number; errors: { field: string; code: string; message: string }[] }[]; rejectedTotal?: number };

/** CSV import with upload progress and the table of rejected lines (line, field, reason). */
export const ImportPage = () => {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<unknown>();
  return (
    <section aria-labelledby="im-h">
      <h1 id="im-h">{t('import')}</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!file) return;
          setAnswer(null);
          setError(undefined);
          setProgress(0);
          try {
            // The charset is left to the server's detection (UTF-8 or Shift_JIS).
            setAnswer((await upload('/v1/recipients/import', file, 'text/csv', (l, total) => setProgress(total ? Math.round((l / total) * 100) : 0))) as Answer);
          } catch (err) {
            setError(err);
          } finally {
            setProgress(null);
          }
        }}
      >
        <Field label={t('csvFile')}>
          <input name="csv" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
        </Field>
        <button type="submit" disabled={progress !== null}>
          {t('upload')}
        </button>
      </form>
      {progress !== null && (
        <p>
          <progress max={100} value={progress} aria-label={t('progress', { p: progress })} /> {t('progress', { p: progress })}
        </p>
      )}
      <ErrorBox error={error} />
      {answer && (
        <>
          <Done>
            {t('imported', { n: answer.imported })} · {t('duplicates', { n: answer.duplicates })} · {t('rejected', { n: answer.rejectedTotal ?? answer.rejected.length })}
          </Done>
          {answer.rejected.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t('line')}</th>
                  <th>{t('field')}</th>
                  <th>{t('problem')}</th>
                </tr>
              </thead>
              <tbody>
                {answer.rejected.flatMap((r) =>
                  r.errors.map((e, i) => (
                    <tr key={`${r.line}-${i}`}>
                      <td>{r.line}</td>
                      <td>{e.field}</td>
                      <td>
                        {e.message} <span className="muted">({e.code})</span>
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
};
