import { readFile } from 'node:fs/promises';
import { documentServices, rotateSigningKey, verifyHealthCard, verifyVds } from '../documents/index.js';
import { decodeImage, readQr } from '../ocr/index.js';
import { openRuntime } from '../runtime/openRuntime.js';
import type { Command } from './commands.js';

const readStdin = async () => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * `vrs certificate verify [SHC | --image FILE]` (the card from the argument, a QR photo, or standard input):
 * prints the verifier's answer as JSON; exit 0 valid, 1 not valid, 2 usage.
 * `vrs certificate rotate-key`: a new signing key; the old public key stays published (restart the server).
 */
export const certificateCommand: Command = {
  summary: 'verify SHC|VDS-JSON|--image FILE (stdin when neither): the verifier\'s answer; rotate-key: new signing key',
  options: { image: { type: 'string' } },
  run: async ({ config, values, positionals }) => {
    const [sub, card] = positionals;
    if (sub === 'rotate-key') {
      const { retired, current } = await rotateSigningKey(config.VRS_DATA_DIR);
      console.log(`signing key ${current}; ${retired} retired and still published (restart vrs serve to sign with the new key)`);
      return 0;
    }
    if (sub !== 'verify') {
      console.error('usage: vrs certificate verify [SHC | --image FILE] | vrs certificate rotate-key');
      return 2;
    }
    let input: string;
    if (typeof values.image === 'string') {
      const text = await readQr(await decodeImage(await readFile(values.image)));
      if (!text) {
        console.error(`${values.image}: no QR code found`);
        return 1;
      }
      input = text;
    } else input = card ?? (await readStdin());
    if (input.length > 100_000) {
      console.error('input: too long to be a certificate');
      return 2;
    }
    const runtime = await openRuntime(config);
    try {
      const docs = await documentServices({ pool: runtime.pool, schema: runtime.schema, store: runtime.store, hmacKey: runtime.keys.hmac, config, services: runtime.services });
      // A VDS-NC is JSON; anything else is read as a SMART Health Card.
      const answer = input.trim().startsWith('{')
        ? await verifyVds(input, new Set(docs.keys.published.map((k) => k.kid)))
        : await verifyHealthCard(input, docs.trusted());
      console.log(JSON.stringify(answer, null, 2));
      return answer.valid ? 0 : 1;
    } finally {
      await runtime.close();
    }
  },
};
