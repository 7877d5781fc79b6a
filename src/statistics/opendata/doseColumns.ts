/** Summary CSV columns per dose number 1..7, named as the published files name the first three. */
const ordinals = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh'];
export const doseColumns = ordinals.map((o) => `count_${o}_shot_general`);
export const MAX_DOSE = ordinals.length;
