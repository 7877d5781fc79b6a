import { validDoses, type RegisteredRecipient } from '../../domain/index.js';
import { qrPng } from '../qr/qrPng.js';
import type { VdsNc } from '../vds/vdsNc.js';
import { doseTable } from './doseTable.js';
import { pdfBuffer } from './pdfBuffer.js';

/** 接種証明書 (海外用, ICAO VDS-NC): the doses in print and the seal's JSON as a QR (byte mode, ECC M). */
export const vdsPdf = async (state: RegisteredRecipient, vds: VdsNc, issuedOn: string) => {
  const png = await qrPng(JSON.stringify(vds), { scale: 4, ecc: 'M' });
  return pdfBuffer('新型コロナウイルス感染症予防接種証明書（海外用）', (doc) => {
    doc.addPage();
    doc.font('jp-bold').fontSize(18).text('新型コロナウイルス感染症 予防接種証明書（海外用）', { align: 'center' });
    doc.font('jp').fontSize(10).text('Vaccination Certificate (ICAO VDS-NC)', { align: 'center' });
    doc.moveDown(1);
    doc.fontSize(12).text(`氏名 Name: ${state.person!.name}`);
    doc.text(`生年月日 Date of birth: ${state.person!.birthDate}`);
    doc.text(`証明書ID UVCI: ${String(vds.data.msg.uvci)}`);
    const end = doseTable(doc, validDoses(state), doc.y + 12);
    const size = 260;
    doc.image(png, (doc.page.width - size) / 2, end + 24, { width: size, height: size });
    doc.fontSize(9).text(`交付日 ${issuedOn}`, doc.page.margins.left, end + 24 + size + 12, { align: 'center' });
  });
};
