import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { ErrorBox, Field, Loading, statusKey } from '../../ui';

type Criteria = { nameKana?: string; birthDate?: string; status?: 'active' | 'transferred-out' | 'erased'; cursor?: string };

/** Search by kana prefix, birth date, status (criteria in the request body, never the URL), or open a coupon directly. */
export const SearchPage = ({ municipality, onOpen }: { municipality: string; onOpen: (coupon: string) => void }) => {
  const { t } = useI18n();
  const [form, setForm] = useState({ nameKana: '', birthDate: '', coupon: '', status: '' });
  const [criteria, setCriteria] = useState<Criteria | null>(null);
  const result = useQuery({
    queryKey: ['search', municipality, criteria],
    enabled: criteria !== null,
    queryFn: () => unwrap(api.POST('/v1/recipients/search', { body: { municipality, ...criteria!, limit: 20 } })),
  });
  return (
    <section aria-labelledby="search-h">
      <h1 id="search-h">{t('search')}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const coupon = form.coupon.replace(/\D/g, '');
          if (coupon.length === 10) return onOpen(coupon);
          setCriteria({
            ...(form.nameKana ? { nameKana: form.nameKana } : {}),
            ...(form.birthDate ? { birthDate: form.birthDate } : {}),
            ...(form.status ? { status: form.status as Criteria['status'] } : {}),
          });
        }}
      >
        <Field label={t('nameKana')}>
          <input name="nameKana" value={form.nameKana} onChange={(e) => setForm({ ...form, nameKana: e.target.value })} autoComplete="off" autoFocus />
        </Field>
        <Field label={t('birthDate')}>
          <input name="birthDate" type="date" value={form.birthDate} onChange={(e) => setForm({ ...form, birthDate: e.target.value })} />
        </Field>
        <Field label={t('coupon')}>
          <input name="coupon" inputMode="numeric" value={form.coupon} onChange={(e) => setForm({ ...form, coupon: e.target.value })} autoComplete="off" />
        </Field>
        <Field label={t('status')}>
          <select name="status" value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })}>
            <option value="">{t('any')}</option>
            <option value="active">{t('active')}</option>
            <option value="transferred-out">{t('transferredOut')}</option>
            <option value="erased">{t('erased')}</option>
          </select>
        </Field>
        <button type="submit">{t('search')}</button>
      </form>
      {result.isFetching && <Loading />}
      <ErrorBox error={result.error} />
      {result.data && (
        <>
          <p className="muted">{t('freshness', { n: result.data.asOfPosition })}</p>
          {result.data.items.length === 0 ? (
            <p>{t('noResults')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{t('coupon')}</th>
                  <th>{t('name')}</th>
                  <th>{t('birthDate')}</th>
                  <th>{t('status')}</th>
                  <th>{t('dose')}</th>
                  <th>{t('nextEligible')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {result.data.items.map((r) => (
                  <tr key={r.coupon}>
                    <td>{r.coupon}</td>
                    <td>
                      {r.person?.name ?? '—'}
                      <br />
                      <span className="muted">{r.person?.nameKana}</span>
                    </td>
                    <td>{r.person?.birthDate ?? '—'}</td>
                    <td>{t(statusKey(r.status))}</td>
                    <td>{r.doses.length}</td>
                    <td>{r.nextEligibleDate ?? '—'}</td>
                    <td>
                      <button type="button" onClick={() => onOpen(r.coupon)} aria-label={`${t('open')} ${r.coupon}`}>
                        {t('open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.data.nextCursor && (
            <button type="button" onClick={() => setCriteria({ ...criteria!, cursor: result.data!.nextCursor! })}>
              {t('next')}
            </button>
          )}
        </>
      )}
    </section>
  );
};
