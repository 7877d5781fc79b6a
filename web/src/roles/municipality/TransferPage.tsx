import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, unwrap, unwrapAs } from '../../api/client';
import { useI18n } from '../../i18n';
import { Done, ErrorBox, Field, statusKey } from '../../ui';

type Registration = { municipality: string; coupon: string; status: string; doses: unknown[] };

/** Transfer wizard: My Number look-up (in the body) → registrations elsewhere → take one over here. */
export const TransferPage = ({ onDone }: { onDone: (coupon: string) => void }) => {
  const { t } = useI18n();
  const [myNumber, setMyNumber] = useState('');
  const [chosen, setChosen] = useState<Registration | null>(null);
  const [to, setTo] = useState({ coupon: '', addressNumber: '', address: '' });
  const [consent, setConsent] = useState<'in-person' | 'written' | 'online'>('in-person');
  const lookup = useMutation({ mutationFn: () => unwrapAs<{ registrations: Registration[] }>(api.POST('/v1/transfers/lookup', { body: { myNumber } })) });
  const take = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/transfers', {
          body: {
            from: { municipality: chosen!.municipality, coupon: chosen!.coupon },
            myNumber,
            consent: { method: consent, at: new Date().toISOString() },
            to: { coupon: to.coupon, addressNumber: to.addressNumber, ...(to.address ? { address: to.address } : {}) },
          },
        }),
      ),
    onSuccess: () => {
      setMyNumber('');
      onDone(to.coupon);
    },
  });
  return (
    <section aria-labelledby="tr-h">
      <h1 id="tr-h">{t('transfer')}</h1>
      <form onSubmit={(e) => (e.preventDefault(), setChosen(null), lookup.mutate())}>
        <Field label={t('myNumber')}>
          <input name="myNumber" inputMode="numeric" autoComplete="off" value={myNumber} onChange={(e) => setMyNumber(e.target.value)} required />
        </Field>
        <button type="submit">{t('lookUp')}</button>
      </form>
      <ErrorBox error={lookup.error} />
      {lookup.data && (
        <>
          <h2>{t('registrationsElsewhere')}</h2>
          {lookup.data.registrations.length === 0 && <p>{t('noResults')}</p>}
          <ul>
            {lookup.data.registrations.map((r) => (
              <li key={`${r.municipality}-${r.coupon}`}>
                {r.municipality} / {r.coupon} — {t(statusKey(r.status))}, {r.doses.length}
                {t('dose')}{' '}
                <button type="button" onClick={() => setChosen(r)}>
                  {t('takeOver')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {chosen && (
        <form onSubmit={(e) => (e.preventDefault(), take.mutate())}>
          <Field label={t('newCoupon')}>
            <input name="toCoupon" inputMode="numeric" value={to.coupon} onChange={(e) => setTo({ ...to, coupon: e.target.value })} required />
          </Field>
          <Field label={t('addressNumber')}>
            <input name="toAddressNumber" value={to.addressNumber} onChange={(e) => setTo({ ...to, addressNumber: e.target.value })} required />
          </Field>
          <Field label={t('address')}>
            <input name="toAddress" value={to.address} onChange={(e) => setTo({ ...to, address: e.target.value })} />
          </Field>
          <Field label={t('consent')}>
            <select name="consent" value={consent} onChange={(e) => setConsent(e.target.value as typeof consent)}>
              <option value="in-person">{t('consentInPerson')}</option>
              <option value="written">{t('consentWritten')}</option>
              <option value="online">{t('consentOnline')}</option>
            </select>
          </Field>
          <button type="submit">{t('takeOver')}</button>
        </form>
      )}
      <ErrorBox error={take.error} />
      {take.isSuccess && <Done>{t('transferred')}</Done>}
    </section>
  );
};
