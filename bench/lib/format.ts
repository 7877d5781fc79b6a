import type { BenchRow } from './types.js';

const known = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** Benches written before lib/types.ts may send null for a missing baseline or ratio: treat it as absent. */
export const ratioOf = (r: BenchRow) => (known(r.ratio) ? r.ratio : known(r.baseline) && r.baseline !== 0 ? r.figure / r.baseline : undefined);

const number = (n: number) =>
  !known(n) ? '—' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

/** Cells of one row: name, figure, baseline, ratio, target. */
export const cells = (r: BenchRow): string[] => {
  const ratio = ratioOf(r);
  return [
    r.name,
    `${number(r.figure)} ${r.unit}`,
    !known(r.baseline) ? '' : `${number(r.baseline)}${r.baselineName ? ` (${r.baselineName})` : ''}`,
    ratio === undefined ? '' : `${ratio.toFixed(2)}x`,
    r.target ?? '',
  ];
};

const HEAD = ['work', 'figure', 'baseline', 'ratio', 'target'];

export const textTable = (rows: BenchRow[]): string => {
  const all = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
};

const escape = (s: string) => s.replace(/\|/g, '\\|');

export const markdownTable = (rows: BenchRow[]): string =>
  [HEAD, HEAD.map(() => '---'), ...rows.map(cells)].map((r) => `| ${r.map(escape).join(' | ')} |`).join('\n');
