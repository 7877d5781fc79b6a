import type { Maker } from '../domain/index.js';

/** The VRS 予防接種台帳向け出力 layout: 個別宛名番号, then eight columns for each dose 1..7. */
export const EXPORT_DOSES = 7;

export const doseColumnNames = ['接種履歴登録日時', '接種日', '券番号', '接種自治体コード', '接種会場名', '接種医師名', 'ワクチンメーカー', 'ワクチンロット番号'] as const;

export const ledgerHeader: string[] = [
  '個別宛名番号',
  ...Array.from({ length: EXPORT_DOSES }, (_, i) => doseColumnNames.map((c) => `${i + 1}回目${c}`)).flat(),
];

/** Maker names as the VRS ledger file writes them (Moderna's was distributed in Japan by 武田). */
export const makerLabel: Record<Maker, string> = {
  pfizer: 'ファイザー',
  moderna: '武田/モデルナ',
  astrazeneca: 'アストラゼネカ',
  novavax: 'ノババックス',
};

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** YYYYMMDDHHMMSS in Japan time (UTC+9 all year: Japan has no daylight saving). */
export const jstTimestamp = (t: Date): string => {
  const j = new Date(t.getTime() + JST_OFFSET_MS);
  return `${j.getUTCFullYear()}${pad(j.getUTCMonth() + 1)}${pad(j.getUTCDate())}${pad(j.getUTCHours())}${pad(j.getUTCMinutes())}${pad(j.getUTCSeconds())}`;
};

/** YYYY-MM-DD → YYYYMMDD. */
export const compactDate = (date: string): string => date.replaceAll('-', '');
