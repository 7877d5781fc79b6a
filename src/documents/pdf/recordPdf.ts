import { validDoses, type RegisteredRecipient } from '../../domain/index.js';
import { doseTable } from './doseTable.js';
import { pdfBuffer } from './pdfBuffer.js';

/** 予防接種済証（接種記録書）: one page, the person's valid doses, issued by the municipality. */
export const recordPdf = (state: RegisteredRecipient, issuedOn: string) =>
  pdfBuffer('予防接種済証', (doc) => {
    const person = state.person!;
    doc.addPage();
    doc.font('jp-bold').fontSize(20).text('新型コロナウイルスワクチン 予防接種済証（接種記録書）', { align: 'center' });
    doc.moveDown(1);
    doc.font('jp').fontSize(12);
    doc.text(`氏名: ${person.name}（${person.nameKana}）`);
    doc.text(`生年月日: ${person.birthDate}`);
    doc.text(`市町村コード: ${state.municipality}　券番号: ${state.coupon}`);
    const end = doseTable(doc, validDoses(state), doc.y + 16);
    doc.font('jp').fontSize(10).text('上記のとおり予防接種を受けたことを証明します。', doc.page.margins.left, end + 24);
    doc.text(`交付日: ${issuedOn}　　交付: 市町村コード ${state.municipality}`);
  });
