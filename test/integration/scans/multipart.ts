import { randomBytes } from 'node:crypto';

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
