/**
 * Line breaks (CRLF, CR or LF) inside a record's raw text, its own trailing break not counted: the record spans
 * that many lines more. A loop over char codes, not a replace and a match: it runs for every row.
 */
export const breaksIn = (raw: string | undefined): number => {
  if (raw === undefined) return 0;
  let end = raw.length;
  if (end > 0 && raw.charCodeAt(end - 1) === 10) end -= end > 1 && raw.charCodeAt(end - 2) === 13 ? 2 : 1;
  else if (end > 0 && raw.charCodeAt(end - 1) === 13) end -= 1;
  let breaks = 0;
  for (let i = 0; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10) breaks++;
    else if (c === 13) {
      breaks++;
      if (i + 1 < end && raw.charCodeAt(i + 1) === 10) i++; // the LF of a CRLF
    }
  }
  return breaks;
};
