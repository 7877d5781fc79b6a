import { useEffect } from 'react';
import { useI18n, type Key } from './i18n';

/** The role's menu. Pages are state in memory, never in the URL: nothing about a person reaches the address bar or history. */
export const Nav = <P extends Key>({ pages, page, setPage }: { pages: P[]; page: P; setPage: (p: P) => void }) => {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t(page)} | ${t('appName')}`;
  }, [page, t]);
  return (
    <nav aria-label="menu">
      {pages.map((p) => (
        <button key={p} type="button" aria-current={p === page ? 'page' : undefined} onClick={() => setPage(p)}>
          {t(p)}
        </button>
      ))}
    </nav>
  );
};
