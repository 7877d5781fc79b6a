import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api, unwrapAs } from '../../api/client';
import { Nav } from '../../Nav';
import type { RoleProps } from '../../App';
import { useI18n } from '../../i18n';
import { ErrorBox, Field, makerLabel, makers, tokyoToday } from '../../ui';
import { prefectureNames } from '../../../../src/domain/codes/prefectures';

// The statistics answer JIS codes; the table reads in names (北海道, not 01).
const prefectureName = new Map(prefectureNames);

type Row = { date: string; count: number; prefecture?: string; doseNumber?: number; maker?: string; ageBand?: string; medicalWorker?: boolean };
type Filters = { doseNumber: string; maker: string; ageBand: string; medicalWorker: string; from: string; to: string };
const matches = (r: Row, f: Filters) =>
  (!f.doseNumber || String(r.doseNumber) === f.doseNumber) &&
  (!f.maker || r.maker === f.maker) &&
  (!f.ageBand || r.ageBand === f.ageBand) &&
  (!f.medicalWorker || String(r.medicalWorker) === f.medicalWorker);

const minusDays = (d: string, n: number) => new Date(Date.parse(d) - n * 86_400_000).toISOString().slice(0, 10);

/** Doses per day by dose number (uPlot: small, canvas, no inline script). */
const Chart = ({ rows, from, to }: { rows: Row[]; from: string; to: string }) => {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    if (!ref.current) return;
    // Every day of the range, so a quiet day shows as zero rather than as a gap.
    const dates: string[] = [];
    for (let d = from; d <= to && dates.length < 1000; d = minusDays(d, -1)) dates.push(d);
    const doses = [...new Set(rows.map((r) => r.doseNumber ?? 0))].sort((a, b) => a - b);
    const x = dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const series = doses.map((n) => dates.map((d) => rows.filter((r) => r.date === d && (r.doseNumber ?? 0) === n).reduce((s, r) => s + r.count, 0)));
    const colours = ['#0b5cab', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#1098ad', '#495057'];
    const plot = new uPlot(
      {
        width: Math.min(ref.current.clientWidth || 700, 1100),
        height: 280,
        series: [{}, ...doses.map((n, i) => ({ label: `${n}${t('dose')}`, stroke: colours[i % colours.length], width: 2 }))],
        axes: [{}, { label: t('count') }],
      },
      [x, ...series],
      ref.current,
    );
    return () => plot.destroy();
  }, [rows, from, to, t]);
  return <div ref={ref} role="img" aria-label={t('dosesPerDay')} />;
};

const Dashboard = () => {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const today = tokyoToday();
  const [f, setF] = useState<Filters>({ doseNumber: '', maker: '', ageBand: '', medicalWorker: '', from: minusDays(today, 30), to: today });
  const [live, setLive] = useState(false);
  const daily = useQuery({
    queryKey: ['daily', f.from, f.to],
    queryFn: () => unwrapAs<{ rows: Row[] }>(api.GET('/v1/statistics/daily', { params: { query: { from: f.from, to: f.to, groupBy: 'prefecture,doseNumber,maker,ageBand,medicalWorker' } } })),
  });
  // Live: the SSE stream says counts changed; the daily figures are read again (at most every second).
  useEffect(() => {
    const source = new EventSource('/v1/statistics/live');
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('delta', () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void qc.invalidateQueries({ queryKey: ['daily'] });
      }, 1000);
    });
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [qc]);
  const rows = useMemo(() => (daily.data?.rows ?? []).filter((r) => matches(r, f)), [daily.data, f]);
  const todayCount = rows.filter((r) => r.date === today).reduce((s, r) => s + r.count, 0);
  const byPrefecture = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r.prefecture ?? '??', (m.get(r.prefecture ?? '??') ?? 0) + r.count);
    return [...m.entries()].sort();
  }, [rows]);
  return (
    <section aria-labelledby="db-h">
      <h1 id="db-h">{t('dashboard')}</h1>
      <div className="card">
        <div>{t('dosesToday')}</div>
        <div className="big" data-testid="doses-today" aria-live="polite">
          {todayCount.toLocaleString()}
        </div>
        <div className="muted">{live ? `● ${t('live')}` : '○'}</div>
      </div>
      <form onSubmit={(e) => e.preventDefault()}>
        <Field label={t('from')}>
          <input type="date" value={f.from} onChange={(e) => setF({ ...f, from: e.target.value })} />
        </Field>
        <Field label={t('to')}>
          <input type="date" value={f.to} onChange={(e) => setF({ ...f, to: e.target.value })} />
        </Field>
        <Field label={t('doseNumber')}>
          <select value={f.doseNumber} onChange={(e) => setF({ ...f, doseNumber: e.target.value })}>
            <option value="">{t('any')}</option>
            {[1, 2, 3, 4, 5, 6, 7].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('maker')}>
          <select value={f.maker} onChange={(e) => setF({ ...f, maker: e.target.value })}>
            <option value="">{t('any')}</option>
            {makers.map((m) => (
              <option key={m} value={m}>
                {makerLabel(m, lang)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('ageBand')}>
          <select value={f.ageBand} onChange={(e) => setF({ ...f, ageBand: e.target.value })}>
            <option value="">{t('any')}</option>
            <option value="-64">-64</option>
            <option value="65-">65-</option>
            <option value="UNK">UNK</option>
          </select>
        </Field>
        <Field label={t('medicalWorker')}>
          <select value={f.medicalWorker} onChange={(e) => setF({ ...f, medicalWorker: e.target.value })}>
            <option value="">{t('any')}</option>
            <option value="true">{t('yes')}</option>
            <option value="false">{t('no')}</option>
          </select>
        </Field>
      </form>
      <ErrorBox error={daily.error} />
      <h2>{t('dosesPerDay')}</h2>
      <Chart rows={rows} from={f.from} to={f.to} />
      <h2>{t('byPrefecture')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('prefecture')}</th>
            <th>{t('count')}</th>
          </tr>
        </thead>
        <tbody>
          {byPrefecture.map(([p, n]) => (
            <tr key={p}>
              <td>{prefectureName.get(p) ?? p}</td>
              <td>{n.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

const OpenData = () => {
  const { t } = useI18n();
  return (
    <section aria-labelledby="od-h">
      <h1 id="od-h">{t('opendata')}</h1>
      <ul>
        {['prefecture.ndjson', 'summary_by_date.csv', 'summary_by_prefecture.csv'].map((f) => (
          <li key={f}>
            <a href={`/opendata/${f}`} download>
              {f}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
};

export default function Ministry(_: RoleProps) {
  const [page, setPage] = useState<'dashboard' | 'opendata'>('dashboard');
  return (
    <>
      <Nav pages={['dashboard', 'opendata']} page={page} setPage={setPage} />
      <main>{page === 'dashboard' ? <Dashboard /> : <OpenData />}</main>
    </>
  );
}
