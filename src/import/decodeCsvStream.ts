import { Transform, type Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { detectEncoding } from './detectEncoding.js';
import { resolveCharset, type CsvEncoding } from './resolveCharset.js';
import { ImportError } from './importErrors.js';
import { invalidUtf8Tracker, type InvalidBytes } from './invalidUtf8Tracker.js';

export type DecodeOptions = {
  /** The Content-Type `charset`, if the client sent one. */
  charset?: string;
  /** Bytes buffered at most while detecting; past it the file is read as UTF-8 (it was all ASCII). */
  maxSampleBytes?: number;
  /** Told once the encoding is known (detected or given). */
  onEncoding?: (encoding: CsvEncoding) => void;
  /** Filled, for a UTF-8 file, with the offset of the first invalid byte of each physical line that has one. */
  invalidBytes?: InvalidBytes;
};

type TextDecoderLike = { write: (bytes: Buffer) => string; end: () => string };

const decoderFor = (encoding: CsvEncoding, invalid: InvalidBytes | undefined): TextDecoderLike => {
  if (encoding === 'cp932') {
    const d = iconv.getDecoder('cp932');
    return { write: (b) => d.write(b), end: () => d.end() ?? '' };
  }
  // Not fatal: a bad byte becomes U+FFFD, which row validation rejects per line; the tracker notes where it was.
  const d = new TextDecoder('utf-8'); // strips a leading BOM
  const track = invalidUtf8Tracker(invalid);
  return {
    write: (b) => {
      const text = d.decode(b, { stream: true });
      track.chunk(b, text);
      return text;
    },
    end: () => {
      const text = d.decode();
      track.end(text);
      return text;
    },
  };
};

/** A UTF-16 byte-order mark: such a file would otherwise be read as Shift_JIS, every line garbled. */
const isUtf16 = (b: Buffer) => b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
const utf16Refused = () =>
  new ImportError('IMPORT_UNSUPPORTED_CHARSET', 'the file is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8 or Shift_JIS', {
    supported: ['UTF-8', 'Shift_JIS'],
  });

/**
 * Bytes in, text out (UTF-8 with or without BOM, or Shift_JIS/CP932). Without a charset the
 * first chunks are held until the encoding is clear, then everything streams: memory stays flat.
 * Characters cut across chunk boundaries are kept whole by the stateful decoders.
 */
export const decodeCsvStream = (source: Readable, options: DecodeOptions = {}): Readable => {
  const maxSample = options.maxSampleBytes ?? 1024 * 1024;
  let decoder: TextDecoderLike | undefined;
  let held: Buffer[] = [];
  let heldBytes = 0;

  const choose = (encoding: CsvEncoding) => {
    decoder = decoderFor(encoding, options.invalidBytes);
    options.onEncoding?.(encoding);
  };
  const given = resolveCharset(options.charset);
  if (given) choose(given);

  const releaseHeld = (out: Transform) => {
    for (const b of held) push(out, decoder!.write(b));
    held = [];
    heldBytes = 0;
  };
  const push = (out: Transform, text: string) => {
    if (text.length > 0) out.push(text, 'utf8');
  };

  const transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (decoder) {
        push(this, decoder.write(chunk));
        return done();
      }
      held.push(chunk);
      heldBytes += chunk.length;
      const sample = Buffer.concat(held);
      held = [sample];
      if (isUtf16(sample)) return done(utf16Refused());
      const detected = detectEncoding(sample, false) ?? (heldBytes >= maxSample ? 'utf8' : undefined);
      if (detected) {
        choose(detected);
        releaseHeld(this);
      }
      done();
    },
    flush(done) {
      if (!decoder) {
        if (isUtf16(Buffer.concat(held))) return done(utf16Refused());
        choose(detectEncoding(Buffer.concat(held), true) ?? 'utf8');
        releaseHeld(this);
      }
      push(this, decoder!.end());
      done();
    },
  });
  transform.setEncoding('utf8');
  source.on('error', (e) => transform.destroy(e));
  return source.pipe(transform);
};
