import type { Maker } from '../../domain/index.js';

/**
 * CDC CVX codes of the products given in Japan (http://hl7.org/fhir/sid/cvx): Pfizer-BioNTech 208 (12 years
 * and over, 30 µg), Moderna 207 (100 µg), AstraZeneca 210, Novavax 211.
 */
export const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';
export const cvxByMaker: Readonly<Record<Maker, string>> = { pfizer: '208', moderna: '207', astrazeneca: '210', novavax: '211' };
export const makerByCvx: Readonly<Record<string, Maker>> = Object.fromEntries(Object.entries(cvxByMaker).map(([m, c]) => [c, m as Maker]));
