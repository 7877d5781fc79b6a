import QRCode from 'qrcode';

type Segment = { data: string; mode: 'byte' | 'numeric' | 'alphanumeric' };

/** A QR code as PNG bytes; `scale` pixels per module, a 4-module quiet zone. */
export const qrPng = (content: string | Segment[], options: { scale?: number; ecc?: 'L' | 'M' | 'Q' | 'H' } = {}): Promise<Buffer> =>
  QRCode.toBuffer(content as Parameters<typeof QRCode.toBuffer>[0], { errorCorrectionLevel: options.ecc ?? 'L', margin: 4, scale: options.scale ?? 4, type: 'png' });
