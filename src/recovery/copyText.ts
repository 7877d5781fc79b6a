/**
 * PostgreSQL's COPY text format, one line → its fields: tab-separated, `\N` for NULL, backslash escapes
 * (what `COPY … TO STDOUT` writes). Used to check a backup's events before any of it is loaded.
 */
const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

const unescape = (field: string): string | null => {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = field[++i];
    if (n === undefined) throw new Error('a line ends in a lone backslash');
    if (n in ESCAPES) out += ESCAPES[n];
    else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(field.slice(i))![0];
      out += String.fromCharCode(parseInt(m, 8));
      i += m.length - 1;
    } else if (n === 'x' && /^[0-9a-fA-F]/.test(field[i + 1] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(field.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else out += n;
  }
  return out;
};

export const parseCopyLine = (line: string): (string | null)[] => line.split('\t').map(unescape);
