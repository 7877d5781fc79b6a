import { ImportError } from './importErrors.js';

export type CsvEncoding = 'utf8' | 'cp932';

const aliases: Record<string, CsvEncoding> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  'shift_jis': 'cp932',
  'shift-jis': 'cp932',
  sjis: 'cp932',
  'x-sjis': 'cp932',
  'ms_kanji': 'cp932',
  'windows-31j': 'cp932',
  cp932: 'cp932',
  'ms932': 'cp932',
};

/** Maps a Content-Type `charset` to a decoder; Shift_JIS files from Windows are really CP932. */
export const resolveCharset = (charset: string | undefined): CsvEncoding | undefined => {
  if (charset === undefined || charset.trim() === '') return undefined;
  const name = charset.trim().replace(/^"|"$/g, '').toLowerCase();
  const encoding = aliases[name];
  if (!encoding)
    throw new ImportError('IMPORT_UNSUPPORTED_CHARSET', 'charset must be UTF-8 or Shift_JIS (CP932)', {
      supported: ['UTF-8', 'Shift_JIS'],
    });
  return encoding;
};
