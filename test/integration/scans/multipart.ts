import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export type Part = { name: string; value: string } | { name: string; file: Buffer; filename?: string; contentType?: string };

/** A multipart/form-data body for app.inject, built by hand so the test sends exactly these bytes. */
export const multipartBody = (parts: Part[]) => {
  const boundary = `----vrs${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('file' in p) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename ?? `${p.name}.bin`}"\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        p.file,
        Buffer.from('\r\n'),
      );
    } else chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
};

/** POST /v1/scans as a site uploads one coupon photo (pfizer, lot FA1234, site S001 unless given). */
export const postScan = (
  app: FastifyInstance,
  headers: Record<string, string>,
  image: Buffer,
  { date, lot = 'FA1234', type = 'png' }: { date: string; lot?: string; type?: 'png' | 'jpeg' },
) => {
  const body = multipartBody([
    { name: 'date', value: date },
    { name: 'maker', value: 'pfizer' },
    { name: 'lot', value: lot },
    { name: 'siteCode', value: 'S001' },
    { name: 'coupon', file: image, filename: `coupon.${type === 'png' ? 'png' : 'jpg'}`, contentType: `image/${type}` },
  ]);
  return app.inject({ method: 'POST', url: '/v1/scans', headers: { ...headers, ...body.headers }, payload: body.payload });
};
