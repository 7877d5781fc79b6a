const yes = new Set(['1', 'true', 'yes', 'y', '○', '〇', '◯', 'はい', '有', '該当']);
const no = new Set(['0', 'false', 'no', 'n', '×', 'いいえ', '無', '非該当']);

/** 医療従事者 flag; undefined means the text is not a recognised yes/no. */
export const parseMedicalWorker = (s: string): boolean | undefined => {
  const t = s.toLowerCase();
  if (yes.has(t)) return true;
  if (no.has(t)) return false;
  return undefined;
};
