import PDFDocument from 'pdfkit';
import { fontBytes, ocrbFont } from './fonts.js';

export type Pdf = InstanceType<typeof PDFDocument>;

/** An A4 document with the Japanese fonts registered; `draw` fills it, the bytes come back when it ends. */
export const pdfBuffer = (title: string, draw: (doc: Pdf) => void | Promise<void>): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    // A fixed creation date keeps the file free of the clock; the title is a document name, never a person's.
    const doc = new PDFDocument({ size: 'A4', margin: 48, autoFirstPage: false, info: { Title: title, Creator: 'VRS ledger', CreationDate: new Date(0) } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('jp', fontBytes('regular'));
    doc.registerFont('jp-bold', fontBytes('bold'));
    doc.registerFont('ocrb', ocrbFont);
    Promise.resolve(draw(doc)).then(
      () => doc.end(),
      (e) => reject(e),
    );
  });
