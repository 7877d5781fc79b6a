import { vaccineTable, type Dose } from '../../domain/index.js';
import type { Pdf } from './pdfBuffer.js';

const MAKER_JA: Record<string, string> = { pfizer: 'ファイザー', moderna: 'モデルナ', astrazeneca: 'アストラゼネカ', novavax: 'ノババックス' };

/** The valid doses as a table: 回 / 接種日 / メーカー / 製品 / ロット / 接種場所; "訂正" marks a corrected dose. */
export const doseTable = (doc: Pdf, doses: Dose[], top: number) => {
  const cols = [
    { head: '回', w: 30 },
    { head: '接種日', w: 80 },
    { head: 'メーカー', w: 85 },
    { head: '製品名', w: 120 },
    { head: 'ロット番号', w: 80 },
    { head: '接種場所', w: 104 },
  ];
  const left = doc.page.margins.left;
  const row = (cells: string[], y: number, font: string) => {
    let x = left;
    doc.font(font).fontSize(10);
    cells.forEach((text, i) => {
      doc.rect(x, y, cols[i].w, 22).stroke();
      doc.text(text, x + 4, y + 6, { width: cols[i].w - 8, lineBreak: false, ellipsis: true });
      x += cols[i].w;
    });
  };
  row(cols.map((c) => c.head), top, 'jp-bold');
  doses.forEach((d, i) =>
    row(
      [
        String(d.doseNumber),
        d.date,
        MAKER_JA[d.vaccine.maker] ?? d.vaccine.maker,
        d.vaccine.product ?? vaccineTable[d.vaccine.maker].product,
        d.vaccine.lot,
        `${d.siteCode}${d.corrected ? '（訂正）' : ''}`,
      ],
      top + 22 * (i + 1),
      'jp',
    ),
  );
  return top + 22 * (doses.length + 1);
};
