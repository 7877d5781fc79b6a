import { useState } from 'react';
import { useI18n } from '../../i18n';
import { Field } from '../../ui';

/** The VRS ledger export: a plain download (the session cookie goes with it; the URL names only the municipality). */
export const ExportPage = ({ municipality }: { municipality: string }) => {
  const { t } = useI18n();
  const [encoding, setEncoding] = useState('shift_jis');
  return (
    <section aria-labelledby="ex-h">
      <h1 id="ex-h">{t('export')}</h1>
      <form onSubmit={(e) => e.preventDefault()}>
        <Field label={t('encoding')}>
          <select name="encoding" value={encoding} onChange={(e) => setEncoding(e.target.value)}>
            <option value="shift_jis">Shift_JIS</option>
            <option value="utf-8">UTF-8</option>
          </select>
        </Field>
        <a className="button" href={`/v1/recipients/export?municipality=${municipality}&encoding=${encoding}`} download={`ledger-${municipality}.csv`}>
          {t('download')}
        </a>
      </form>
    </section>
  );
};
