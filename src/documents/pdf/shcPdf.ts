import { validDoses, type RegisteredRecipient } from '../../domain/index.js';
import { qrPng } from '../qr/qrPng.js';
import { shcQrSegments } from '../shc/numericQr.js';
import { doseTable } from './doseTable.js';
import { pdfBuffer } from './pdfBuffer.js';

/** 接種証明書 (SMART Health Card): the doses in print and the `shc:/` QR, at least 40 mm wide as the spec aims. */
export const shcPdf = async (state: RegisteredRecipient, shc: string, issuedOn: string) => {
  const png = await qrPng(shcQrSegments(shc), { scale: 4 });
  return pdfBuffer('新型コロナウイルス感染症予防接種証明書', (doc) => {
    const person = state.person!;
    doc.addPage();
    doc.font('jp-bold').fontSize(18).text('新型コロナウイルス感染症 予防接種証明書', { align: 'center' });
    doc.font('jp').fontSize(10).text('Vaccination Certificate (SMART Health Card)', { align: 'center' });
    doc.moveDown(1);
    doc.fontSize(12).text(`氏名 Name: ${person.name}`);
    doc.text(`生年月日 Date of birth: ${person.birthDate}`);
    const end = doseTable(doc, validDoses(state), doc.y + 12);
    const size = 260; // pt ≈ 92 mm: scans from a phone at arm's length
    doc.image(png, (doc.page.width - size) / 2, end + 24, { width: size, height: size });
    doc.fontSize(9).text(`交付日 ${issuedOn}`, doc.page.margins.left, end + 24 + size + 12, { align: 'center' });
  });
};
