import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, unwrapAs } from '../../api/client';
import { useI18n } from '../../i18n';
import { Done, ErrorBox, Field, Loading, makerLabel, makers, newCommandId, statusKey, tokyoToday } from '../../ui';

type Dose = { doseNumber: number; date: string; vaccine: { maker: string; lot: string }; siteCode: string; source: string; corrected: boolean };
type Status = {
  municipality: string;
  coupon: string;
  status: string;
  person: { name: string; nameKana: string; birthDate: string; sex: string } | null;
  doses: Dose[];
  nextEligibleDate: string | null;
  version: number;
};
type Maker = (typeof makers)[number];

/** 接種状況: the person, the dose timeline, the next eligible date; record, correct and void doses, correct details. */
export const PersonPage = ({ municipality, coupon }: { municipality: string; coupon: string }) => {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const key = ['status', municipality, coupon];
  const status = useQuery({ queryKey: key, queryFn: () => unwrapAs<Status>(api.GET('/v1/recipients/{m}/{c}', { params: { path: { m: municipality, c: coupon } } })) });
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  if (status.isLoading) return <Loading />;
  if (status.error || !status.data) return <ErrorBox error={status.error} />;
  const s = status.data;
  return (
    <section aria-labelledby="person-h">
      <h1 id="person-h">
        {t('person')} — {t('coupon')} {s.coupon}
      </h1>
      <div className="card">
        <dl className="grid2">
          <div>
            <dt>{t('name')}</dt>
            <dd>
              {s.person?.name ?? '—'} <span className="muted">{s.person?.nameKana}</span>
            </dd>
          </div>
          <div>
            <dt>{t('birthDate')}</dt>
            <dd>{s.person?.birthDate ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('status')}</dt>
            <dd>{t(statusKey(s.status))}</dd>
          </div>
          <div>
            <dt>{t('nextEligible')}</dt>
            <dd data-testid="next-eligible">{s.nextEligibleDate ?? t('none')}</dd>
          </div>
        </dl>
      </div>
      <h2>{t('dose')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('doseNumber')}</th>
            <th>{t('date')}</th>
            <th>{t('maker')}</th>
            <th>{t('lot')}</th>
            <th>{t('siteCode')}</th>
            <th>{t('source')}</th>
          </tr>
        </thead>
        <tbody>
          {s.doses.map((d) => (
            <tr key={d.doseNumber}>
              <td>{d.doseNumber}</td>
              <td>{d.date}</td>
              <td>{makerLabel(d.vaccine.maker, lang)}</td>
              <td>{d.vaccine.lot}</td>
              <td>{d.siteCode}</td>
              <td>
                {d.source}
                {d.corrected ? ' *' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.status === 'active' && <RecordDose municipality={municipality} coupon={coupon} next={s.doses.length + 1} onDone={refresh} />}
      {s.doses.length > 0 && <CorrectOrVoid municipality={municipality} coupon={coupon} doses={s.doses} onDone={refresh} />}
      {s.person && <CorrectDetails municipality={municipality} coupon={coupon} onDone={refresh} />}
    </section>
  );
};

const useWrite = <T,>(write: (v: T) => Promise<unknown>, onDone: () => void) => {
  const m = useMutation({ mutationFn: write, onSuccess: onDone });
  return m;
};

const RecordDose = ({ municipality, coupon, next, onDone }: { municipality: string; coupon: string; next: number; onDone: () => void }) => {
  const { t, lang } = useI18n();
  const [f, setF] = useState({ date: tokyoToday(), maker: 'pfizer' as Maker, lot: '', siteCode: 'S001' });
  const [commandId, setCommandId] = useState(newCommandId);
  const m = useWrite(
    () => unwrap(api.POST('/v1/vaccinations', { body: { municipality, coupon, doseNumber: next, date: f.date, vaccine: { maker: f.maker, lot: f.lot }, siteCode: f.siteCode, commandId } })),
    () => {
      setCommandId(newCommandId());
      onDone();
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    m.mutate(undefined);
  };
  return (
    <div className="card">
      <h2 id="record-h">
        {t('recordDose')} ({next}
        {t('dose')})
      </h2>
      <form onSubmit={submit} aria-labelledby="record-h">
        <Field label={t('date')}>
          <input name="date" type="date" value={f.date} onChange={(e) => setF({ ...f, date: e.target.value })} required />
        </Field>
        <Field label={t('maker')}>
          <select name="maker" value={f.maker} onChange={(e) => setF({ ...f, maker: e.target.value as Maker })}>
            {makers.map((x) => (
              <option key={x} value={x}>
                {makerLabel(x, lang)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('lot')}>
          <input name="lot" value={f.lot} onChange={(e) => setF({ ...f, lot: e.target.value.toUpperCase() })} required autoComplete="off" />
        </Field>
        <Field label={t('siteCode')}>
          <input name="siteCode" value={f.siteCode} onChange={(e) => setF({ ...f, siteCode: e.target.value })} required />
        </Field>
        <button type="submit" disabled={m.isPending}>
          {t('recordDose')}
        </button>
      </form>
      <ErrorBox error={m.error} />
      {m.isSuccess && <Done>{t('recorded')}</Done>}
    </div>
  );
};

const CorrectOrVoid = ({ municipality, coupon, doses, onDone }: { municipality: string; coupon: string; doses: Dose[]; onDone: () => void }) => {
  const { t } = useI18n();
  const last = doses[doses.length - 1];
  const [dose, setDose] = useState(last.doseNumber);
  const [change, setChange] = useState({ date: '', lot: '', siteCode: '' });
  const [reason, setReason] = useState('');
  const path = { m: municipality, c: coupon, dose };
  const correct = useWrite(
    () =>
      unwrap(
        api.POST('/v1/recipients/{m}/{c}/vaccinations/{dose}/corrections', {
          params: { path },
          body: {
            changes: { ...(change.date ? { date: change.date } : {}), ...(change.lot ? { vaccine: { lot: change.lot } } : {}), ...(change.siteCode ? { siteCode: change.siteCode } : {}) },
            reason,
          },
        }),
      ),
    onDone,
  );
  const voidIt = useWrite(() => unwrap(api.POST('/v1/recipients/{m}/{c}/vaccinations/{dose}/void', { params: { path }, body: { reason } })), onDone);
  return (
    <div className="card">
      <h2 id="cv-h">
        {t('correctDose')} / {t('voidDose')}
      </h2>
      <form onSubmit={(e) => (e.preventDefault(), correct.mutate(undefined))} aria-labelledby="cv-h">
        <Field label={t('doseNumber')}>
          <select name="correctDose" value={dose} onChange={(e) => setDose(Number(e.target.value))}>
            {doses.map((d) => (
              <option key={d.doseNumber} value={d.doseNumber}>
                {d.doseNumber}
              </option>
            ))}
          </select>
        </Field>
        <Field label={`${t('date')} (${t('newValue')})`}>
          <input name="correctDate" type="date" value={change.date} onChange={(e) => setChange({ ...change, date: e.target.value })} />
        </Field>
        <Field label={`${t('lot')} (${t('newValue')})`}>
          <input name="correctLot" value={change.lot} onChange={(e) => setChange({ ...change, lot: e.target.value.toUpperCase() })} />
        </Field>
        <Field label={`${t('siteCode')} (${t('newValue')})`}>
          <input name="correctSite" value={change.siteCode} onChange={(e) => setChange({ ...change, siteCode: e.target.value })} />
        </Field>
        <Field label={t('reason')}>
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
        </Field>
        <button type="submit">{t('correctDose')}</button>
        <button type="button" className="secondary" onClick={() => voidIt.mutate(undefined)} disabled={!reason}>
          {t('voidDose')}
        </button>
      </form>
      <ErrorBox error={correct.error ?? voidIt.error} />
      {correct.isSuccess && <Done>{t('corrected')}</Done>}
      {voidIt.isSuccess && <Done>{t('voided')}</Done>}
    </div>
  );
};

const detailFields = ['name', 'nameKana', 'birthDate', 'address'] as const;

const CorrectDetails = ({ municipality, coupon, onDone }: { municipality: string; coupon: string; onDone: () => void }) => {
  const { t } = useI18n();
  const [field, setField] = useState<(typeof detailFields)[number]>('address');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const m = useWrite(
    () => unwrap(api.POST('/v1/recipients/{m}/{c}/corrections', { params: { path: { m: municipality, c: coupon } }, body: { changes: { [field]: value }, reason } })),
    () => {
      setValue('');
      onDone();
    },
  );
  return (
    <div className="card">
      <h2 id="cd-h">{t('correctDetails')}</h2>
      <form onSubmit={(e) => (e.preventDefault(), m.mutate(undefined))} aria-labelledby="cd-h">
        <Field label={t('field')}>
          <select name="detailField" value={field} onChange={(e) => setField(e.target.value as (typeof detailFields)[number])}>
            {detailFields.map((f) => (
              <option key={f} value={f}>
                {t(f === 'nameKana' ? 'nameKana' : f)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('newValue')}>
          <input name="detailValue" type={field === 'birthDate' ? 'date' : 'text'} value={value} onChange={(e) => setValue(e.target.value)} required autoComplete="off" />
        </Field>
        <Field label={t('reason')}>
          <input name="detailReason" value={reason} onChange={(e) => setReason(e.target.value)} required />
        </Field>
        <button type="submit">{t('correctDetails')}</button>
      </form>
      <ErrorBox error={m.error} />
      {m.isSuccess && <Done>{t('corrected')}</Done>}
    </div>
  );
};
