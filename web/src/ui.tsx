import type { ReactNode } from 'react';
import { useI18n } from './i18n';
import { explain } from './explain';

export const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <label className="field">
    <span>{label}</span>
    {children}
  </label>
);

/** A refusal: the rule in plain words, the stable code small beside it. */
export const ErrorBox = ({ error }: { error: unknown }) => {
  const { lang, t } = useI18n();
  if (!error) return null;
  const { text, code } = explain(error, lang);
  return (
    <div className="error" role="alert">
      <strong>{text}</strong>
      {code ? <small> ({t('code')}: {code})</small> : null}
    </div>
  );
};

export const Done = ({ children }: { children: ReactNode }) => (
  <div className="done" role="status">
    {children}
  </div>
);

export const Loading = () => {
  const { t } = useI18n();
  return <p aria-busy="true">{t('loading')}</p>;
};

/** Today in Tokyo as YYYY-MM-DD (vaccination dates are Tokyo calendar dates). */
export const tokyoToday = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);

export const makers = ['pfizer', 'moderna', 'astrazeneca', 'novavax'] as const;
export const makerLabel = (m: string, lang: string) =>
  lang === 'ja' ? ({ pfizer: 'ファイザー', moderna: '武田/モデルナ', astrazeneca: 'アストラゼネカ', novavax: 'ノババックス' } as Record<string, string>)[m] ?? m : m;

/** A registration's status as the i18n key that names it (the API's values are English words). */
export const statusKey = (status: string) =>
  (({ active: 'active', 'transferred-out': 'transferredOut', erased: 'erased' }) as const)[status as 'active'] ?? 'active';

export const newCommandId = () => crypto.randomUUID();

/** One column of a Table: its header (empty for a column of buttons) and what each row shows in it. */
export type Column<T> = { header: string; cell: (row: T) => ReactNode };

/** A plain table of rows, one cell per column; nothing is shown in the body until the rows arrive. */
export const Table = <T,>({ columns, rows, rowKey }: { columns: Column<T>[]; rows: readonly T[] | undefined; rowKey: (row: T) => string }) => (
  <table>
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th key={i}>{c.header}</th>
        ))}
      </tr>
    </thead>
    <tbody>
      {rows?.map((r) => (
        <tr key={rowKey(r)}>
          {columns.map((c, i) => (
            <td key={i}>{c.cell(r)}</td>
          ))}
        </tr>
      ))}
    </tbody>
  </table>
);
