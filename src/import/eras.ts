/** Japanese eras with their first day (Gregorian); an era ends the day before the next begins. */
export const eras = [
  // Meiji is counted from the Gregorian date of its proclamation; no one born then is still registered.
  { name: '明治', letter: 'M', start: '1868-10-23', offset: 1867 },
  { name: '大正', letter: 'T', start: '1912-07-30', offset: 1911 },
  { name: '昭和', letter: 'S', start: '1926-12-25', offset: 1925 },
  { name: '平成', letter: 'H', start: '1989-01-08', offset: 1988 },
  { name: '令和', letter: 'R', start: '2019-05-01', offset: 2018 },
] as const;

export type Era = (typeof eras)[number];

/** By full name, Latin initial (either case) or first kanji: 昭和, S, s, 昭. */
export const findEra = (token: string): Era | undefined => {
  const t = token.toUpperCase();
  return eras.find((e) => e.name === token || e.letter === t || e.name[0] === token);
};

/** The first day of the next era, exclusive end; undefined for the current era. */
export const eraEnd = (era: Era): string | undefined => eras[eras.indexOf(era) + 1]?.start;
