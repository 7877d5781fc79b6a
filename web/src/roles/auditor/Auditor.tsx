import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, unwrapAs } from '../../api/client';
import { Nav } from '../../Nav';
import type { RoleProps } from '../../App';
import { useI18n } from '../../i18n';
import { ErrorBox, Field, Loading } from '../../ui';

type HistoryEvent = { type: string; version: number; position: number; recordedAt: string; actor: { role: string; sub: string } | null; reason?: string; data: Record<string, unknown> };
type History = { events: HistoryEvent[]; state: { status: string; doses: { doseNumber: number; date: string }[]; nextEligibleDate: string | null } | null };

/** A record's history as a timeline (who, when, why) and its state as of any past moment. */
const HistoryPage = () => {
  const { t } = useI18n();
  const [form, setForm] = useState({ municipality: '', coupon: '', asOf: '' });
  const [target, setTarget] = useState<{ m: string; c: string; asOf?: string } | null>(null);
  const q = useQuery({
    queryKey: ['history', target],
    enabled: target !== null,
    queryFn: () =>
      unwrapAs<History>(api.GET('/v1/recipients/{m}/{c}/history', { params: { path: { m: target!.m, c: target!.c }, query: target!.asOf ? { asOf: target!.asOf } : {} } })),
  });
  return (
    <section aria-labelledby="hi-h">
      <h1 id="hi-h">{t('history')}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTarget({ m: form.municipality.trim(), c: form.coupon.trim(), ...(form.asOf ? { asOf: new Date(form.asOf).toISOString() } : {}) });
        }}
      >
        <Field label={t('municipality')}>
          <input name="municipality" inputMode="numeric" value={form.municipality} onChange={(e) => setForm({ ...form, municipality: e.target.value })} required />
        </Field>
        <Field label={t('coupon')}>
          <input name="coupon" inputMode="numeric" value={form.coupon} onChange={(e) => setForm({ ...form, coupon: e.target.value })} required />
        </Field>
        <Field label={t('asOf')}>
          <input name="asOf" type="datetime-local" step="1" value={form.asOf} onChange={(e) => setForm({ ...form, asOf: e.target.value })} />
        </Field>
        <button type="submit">{t('open')}</button>
      </form>
      {q.isFetching && <Loading />}
      <ErrorBox error={q.error} />
      {q.data && (
        <div className="grid2">
          <ol className="timeline" aria-label={t('history')}>
            {q.data.events.map((e) => (
              <li key={e.version}>
                <strong>{e.type}</strong> <span className="muted">#{e.version}</span>
                <br />
                {t('when')}: {new Date(e.recordedAt).toLocaleString()} · {t('who')}: {e.actor ? `${e.actor.sub} (${e.actor.role})` : '—'}
                {e.reason ? (
                  <>
                    <br />
                    {t('reason')}: {e.reason}
                  </>
                ) : null}
              </li>
            ))}
          </ol>
          <div className="card">
            <h2>
              {t('state')}
              {target?.asOf ? ` — ${t('asOf')} ${new Date(target.asOf).toLocaleString()}` : ''}
            </h2>
            {q.data.state ? (
              <>
                <p>
                  {t('status')}: {q.data.state.status}
                </p>
                <ul>
                  {q.data.state.doses.map((d) => (
                    <li key={d.doseNumber}>
                      {d.doseNumber}
                      {t('dose')}: {d.date}
                    </li>
                  ))}
                </ul>
                <p>
                  {t('nextEligible')}: {q.data.state.nextEligibleDate ?? t('none')}
                </p>
              </>
            ) : (
              <p>{t('none')}</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
};

type Access = { at: string; actor: { sub: string; role: string }; record: string; endpoint: string };

/** Who read whose data, when (the criteria are the auditor's own, in the query of an API call, never the page URL). */
const AccessPage = () => {
  const { t } = useI18n();
  const [form, setForm] = useState({ record: '', actor: '', from: '', to: '' });
  const [query, setQuery] = useState<Record<string, string> | null>(null);
  const q = useQuery({
    queryKey: ['access', query],
    enabled: query !== null,
    queryFn: () => unwrapAs<{ entries: Access[] }>(api.GET('/v1/audit/access', { params: { query: { ...query!, limit: 500 } } })),
  });
  return (
    <section aria-labelledby="ac-h">
      <h1 id="ac-h">{t('accessLog')}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({
            ...(form.record ? { record: form.record } : {}),
            ...(form.actor ? { actor: form.actor } : {}),
            ...(form.from ? { from: new Date(form.from).toISOString() } : {}),
            ...(form.to ? { to: new Date(form.to).toISOString() } : {}),
          });
        }}
      >
        <Field label={t('record')}>
          <input name="record" value={form.record} onChange={(e) => setForm({ ...form, record: e.target.value })} placeholder="recipient-131016-0000000001" />
        </Field>
        <Field label={t('actor')}>
          <input name="actor" value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} />
        </Field>
        <Field label={t('from')}>
          <input name="from" type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </Field>
        <Field label={t('to')}>
          <input name="to" type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </Field>
        <button type="submit">{t('search')}</button>
      </form>
      <ErrorBox error={q.error} />
      {q.data && (
        <table>
          <thead>
            <tr>
              <th>{t('at')}</th>
              <th>{t('actor')}</th>
              <th>{t('record')}</th>
              <th>{t('endpoint')}</th>
            </tr>
          </thead>
          <tbody>
            {q.data.entries.map((e, i) => (
              <tr key={i}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>
                  {e.actor.sub} ({e.actor.role})
                </td>
                <td>{e.record}</td>
                <td>{e.endpoint}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

const SignInsPage = () => {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['sign-ins'], queryFn: () => unwrap(api.GET('/v1/audit/sign-ins', { params: { query: { limit: 200 } } })) });
  const entries = (q.data as { entries: { at: string; username: string; outcome: string; address: string }[] } | undefined)?.entries ?? [];
  return (
    <section aria-labelledby="si-h">
      <h1 id="si-h">{t('signIns')}</h1>
      <ErrorBox error={q.error} />
      <table>
        <thead>
          <tr>
            <th>{t('at')}</th>
            <th>{t('username')}</th>
            <th>{t('outcome')}</th>
            <th>IP</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={i}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.username}</td>
              <td>{e.outcome}</td>
              <td>{e.address}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

export default function Auditor(_: RoleProps) {
  const [page, setPage] = useState<'history' | 'accessLog' | 'signIns'>('history');
  return (
    <>
      <Nav pages={['history', 'accessLog', 'signIns']} page={page} setPage={setPage} />
      <main>
        {page === 'history' && <HistoryPage />}
        {page === 'accessLog' && <AccessPage />}
        {page === 'signIns' && <SignInsPage />}
      </main>
    </>
  );
}
