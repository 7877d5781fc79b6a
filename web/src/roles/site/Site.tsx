import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, upload } from '../../api/client';
import { Nav } from '../../Nav';
import type { RoleProps } from '../../App';
import { useI18n } from '../../i18n';
import { Done, ErrorBox, Field, Loading, makerLabel, makers, tokyoToday } from '../../ui';

type ScanResult = {
  scanId: string;
  status: 'recorded' | 'needs-review';
  read: { method: string; line: string | null; municipality: string | null; coupon: string | null; dose: number | null };
  reasons?: string[];
  ruleCode?: string;
  recorded?: { recipientStream: string; doseNumber: number };
  duplicate?: boolean;
};

const ResultCard = ({ r }: { r: ScanResult }) => {
  const { t } = useI18n();
  return (
    <div className="card" data-testid="scan-result">
      {r.status === 'recorded' ? <Done>{t('recordedDose')} ({r.recorded?.doseNumber}{t('dose')})</Done> : <div className="error">{t('needsReview')}: {(r.reasons ?? []).join(', ')}{r.ruleCode ? ` (${r.ruleCode})` : ''}</div>}
      <dl>
        <dt>{t('method')}</dt>
        <dd>{r.read.method.toUpperCase()}</dd>
        <dt>{t('read')}</dt>
        <dd>{r.read.line ?? '—'}</dd>
      </dl>
    </div>
  );
};

/** The coupon scan: camera (`capture`) or a dropped file, with the day's dose facts kept between scans. */
const ScanPage = ({ site }: { site: string }) => {
  const { t, lang } = useI18n();
  const [facts, setFacts] = useState({ date: tokyoToday(), maker: 'pfizer', lot: '' });
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ScanResult | null>(null);
  const [error, setError] = useState<unknown>();
  const send = async (file: File) => {
    setBusy(true);
    setError(undefined);
    setResult(null);
    const form = new FormData();
    form.append('date', facts.date);
    form.append('maker', facts.maker);
    if (facts.lot) form.append('lot', facts.lot);
    form.append('siteCode', site);
    form.append('coupon', file);
    try {
      setResult((await upload('/v1/scans', form, undefined, () => {})) as ScanResult);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="scan-h">
      <h1 id="scan-h">{t('scan')}</h1>
      <form onSubmit={(e) => e.preventDefault()}>
        <Field label={t('date')}>
          <input name="date" type="date" value={facts.date} onChange={(e) => setFacts({ ...facts, date: e.target.value })} />
        </Field>
        <Field label={t('maker')}>
          <select name="maker" value={facts.maker} onChange={(e) => setFacts({ ...facts, maker: e.target.value })}>
            {makers.map((m) => (
              <option key={m} value={m}>
                {makerLabel(m, lang)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('lot')}>
          <input name="lot" value={facts.lot} onChange={(e) => setFacts({ ...facts, lot: e.target.value.toUpperCase() })} />
        </Field>
      </form>
      <div
        className={`drop${over ? ' over' : ''}`}
        onDragOver={(e) => (e.preventDefault(), setOver(true))}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const f = e.dataTransfer.files[0];
          if (f) void send(f);
        }}
      >
        <p>{t('dropHere')}</p>
        <label className="field">
          <span>{t('takePhoto')}</span>
          <input name="coupon" type="file" accept="image/*" capture="environment" disabled={busy} onChange={(e) => e.target.files?.[0] && void send(e.target.files[0])} />
        </label>
      </div>
      {busy && <Loading />}
      <ErrorBox error={error} />
      {result && <ResultCard r={result} />}
    </section>
  );
};

type ReviewItem = { scanId: string; scannedAt: string; read: { line: string | null; method: string }; reasons: string[]; date: string; maker: string; lot: string | null };

const ReviewRow = ({ item, onResolved }: { item: ReviewItem; onResolved: (r: ScanResult) => void }) => {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [line, setLine] = useState(item.read.line ?? '');
  const resolve = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/scans/{id}/resolve', { params: { path: { id: item.scanId } }, body: { line } })),
    // The answer is shown by the page: once resolved, this item leaves the queue (and this row with it).
    onSuccess: (r) => (onResolved(r as ScanResult), qc.invalidateQueries({ queryKey: ['review'] })),
  });
  return (
    <div className="card grid2">
      <img className="scanimg" src={`/v1/scans/${item.scanId}/image`} alt={`${t('couponPhoto')} ${item.scannedAt}`} />
      <div>
        <p>
          {t('why')}: {item.reasons.join(', ')}
        </p>
        <p>
          {t('read')}: <code>{item.read.line ?? '—'}</code> ({item.read.method})
        </p>
        <form onSubmit={(e) => (e.preventDefault(), resolve.mutate())}>
          <Field label={t('typeLine')}>
            <input name="line" inputMode="numeric" value={line} onChange={(e) => setLine(e.target.value)} required autoComplete="off" />
          </Field>
          <button type="submit">{t('resolve')}</button>
        </form>
        <ErrorBox error={resolve.error} />
        {resolve.data && (resolve.data as ScanResult).status !== 'recorded' && <ResultCard r={resolve.data as ScanResult} />}
      </div>
    </div>
  );
};

const ReviewPage = () => {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['review'], queryFn: () => unwrap(api.GET('/v1/scans/review', { params: { query: { limit: 50 } } })) });
  const [resolved, setResolved] = useState<ScanResult | null>(null);
  if (q.isLoading) return <Loading />;
  return (
    <section aria-labelledby="rv-h">
      <h1 id="rv-h">{t('review')}</h1>
      <ErrorBox error={q.error} />
      {resolved && <ResultCard r={resolved} />}
      {q.data?.items.length === 0 && <p>{t('reviewEmpty')}</p>}
      {q.data?.items.map((i) => <ReviewRow key={i.scanId} item={i as ReviewItem} onResolved={setResolved} />)}
    </section>
  );
};

export default function Site({ session }: RoleProps) {
  const [page, setPage] = useState<'scan' | 'review'>('scan');
  return (
    <>
      <Nav pages={['scan', 'review']} page={page} setPage={setPage} />
      <main>{page === 'scan' ? <ScanPage site={session.site!} /> : <ReviewPage />}</main>
    </>
  );
}
