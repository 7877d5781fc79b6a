import type { RegisteredRecipient } from '../../domain/index.js';
import { qrPng } from '../qr/qrPng.js';
import { pdfBuffer, type Pdf } from './pdfBuffer.js';

/** 1 mm in PDF points. */
export const MM = 72 / 25.4;
/** The coupon (接種券) is cut from the top left of the sheet: 85 × 51 mm, like the coupons the reader was tuned on. */
export const COUPON_BOX = { x: 12 * MM, y: 12 * MM, w: 85 * MM, h: 51 * MM } as const;

export type CouponSheet = { state: RegisteredRecipient; line: string; doseNumber: number; eligibleFrom: string | null };

const QUESTIONS = [
  '新型コロナワクチンの接種を初めて受けますか。（受けたことがある場合は回数と最後の接種日）',
  '現在、何らかの病気にかかって、治療（投薬など）を受けていますか。',
  '最近1か月以内に熱が出たり、病気にかかったりしましたか。',
  '今日、体に具合が悪いところがありますか。',
  'けいれん（ひきつけ）を起こしたことがありますか。',
  '薬や食品などで、重いアレルギー症状（アナフィラキシーなど）を起こしたことがありますか。',
  '過去2週間以内に予防接種を受けましたか。',
  '現在妊娠している可能性（生理が予定より遅れているなど）はありますか。または、授乳中ですか。',
];

const coupon = async (doc: Pdf, s: CouponSheet) => {
  const b = COUPON_BOX;
  const person = s.state.person!;
  doc.save().lineWidth(0.5).dash(3, { space: 3 }).rect(b.x - 4 * MM, b.y - 4 * MM, b.w + 8 * MM, b.h + 8 * MM).stroke().restore();
  doc.lineWidth(1).rect(b.x, b.y, b.w, b.h).stroke();
  doc.font('jp-bold').fontSize(10).text(`新型コロナワクチン 接種券（${s.doseNumber}回目）`, b.x + 3 * MM, b.y + 3 * MM, { lineBreak: false });
  doc.font('jp').fontSize(7);
  const lines = [
    `市町村コード ${s.state.municipality}`,
    `券番号 ${s.state.coupon}`,
    `氏名 ${person.name}`,
    `住所 ${person.address ?? ''}`,
    s.eligibleFrom ? `接種できる日 ${s.eligibleFrom} から` : '',
  ];
  lines.forEach((text, i) => doc.text(text, b.x + 3 * MM, b.y + 10 * MM + i * 4.2 * MM, { width: b.w - 26 * MM, lineBreak: false, ellipsis: true }));
  // The same 18 digits as the OCR line, for the reader's first try.
  const qr = await qrPng(s.line, { scale: 6, ecc: 'M' });
  doc.image(qr, b.x + b.w - 22 * MM, b.y + 3 * MM, { width: 19 * MM, height: 19 * MM });
  doc.font('ocrb').fontSize(11).text(s.line, b.x + 3 * MM, b.y + b.h - 8 * MM, { characterSpacing: 0.6, lineBreak: false });
};

const questionnaire = (doc: Pdf, s: CouponSheet) => {
  const person = s.state.person!;
  const left = 12 * MM;
  const width = doc.page.width - 24 * MM;
  let y = COUPON_BOX.y + COUPON_BOX.h + 14 * MM;
  doc.font('jp-bold').fontSize(13).text('新型コロナワクチン接種の予診票', left, y, { width, align: 'center' });
  y += 9 * MM;
  doc.font('jp').fontSize(9);
  const fields = [
    ['住所', person.address ?? ''],
    ['氏名', `${person.name}（${person.nameKana}）`],
    ['生年月日', person.birthDate],
    ['券番号', `${s.state.municipality}-${s.state.coupon}（${s.doseNumber}回目）`],
  ];
  for (const [label, value] of fields) {
    doc.rect(left, y, 30 * MM, 7 * MM).stroke().rect(left + 30 * MM, y, width - 30 * MM, 7 * MM).stroke();
    doc.text(label, left + 2 * MM, y + 2 * MM, { lineBreak: false });
    doc.text(value, left + 32 * MM, y + 2 * MM, { width: width - 34 * MM, lineBreak: false, ellipsis: true });
    y += 7 * MM;
  }
  y += 4 * MM;
  doc.font('jp-bold').text('質問事項', left, y, { lineBreak: false });
  doc.text('回答欄', left + width - 30 * MM, y, { lineBreak: false });
  y += 6 * MM;
  doc.font('jp').fontSize(8);
  for (const q of QUESTIONS) {
    doc.rect(left, y, width - 32 * MM, 9 * MM).stroke().rect(left + width - 32 * MM, y, 32 * MM, 9 * MM).stroke();
    doc.text(q, left + 2 * MM, y + 2 * MM, { width: width - 36 * MM, height: 7 * MM });
    doc.text('はい ・ いいえ', left + width - 30 * MM, y + 3 * MM, { lineBreak: false });
    y += 9 * MM;
  }
  y += 5 * MM;
  doc.fontSize(9).text('医師の診察・説明を受け、予防接種の効果や副反応などについて理解した上で、接種を希望しますか。（希望します ・ 希望しません）', left, y, { width });
  y += 12 * MM;
  doc.text('本人（保護者）自署：＿＿＿＿＿＿＿＿＿＿＿＿', left, y, { lineBreak: false });
  y += 10 * MM;
  doc.rect(left, y, width, 24 * MM).stroke();
  doc.text('医師記入欄　以上の問診及び診察の結果、今日の接種は（可能 ・ 見合わせる）　医師署名：', left + 2 * MM, y + 2 * MM, { width: width - 4 * MM });
  doc.text('接種日時・接種場所・ワクチン名・ロット番号・接種量：', left + 2 * MM, y + 12 * MM, { width: width - 4 * MM });
};

/** Print-ready coupon sheets, one recipient per page: the coupon to cut out, and the 予診票 filled from the ledger. */
export const couponSheetsPdf = (sheets: CouponSheet[]) =>
  pdfBuffer('接種券', async (doc) => {
    if (sheets.length === 0) doc.addPage().font('jp').fontSize(12).text('このバッチに印刷する接種券はありません。');
    for (const s of sheets) {
      doc.addPage({ size: 'A4', margin: 0 });
      await coupon(doc, s);
      questionnaire(doc, s);
    }
  });
