/** The dimensions a daily count can be grouped by (API name → column). Date is always a dimension. */
export const dimensionColumns = {
  prefecture: 'prefecture',
  municipality: 'municipality',
  sex: 'sex',
  ageBand: 'age_band',
  doseNumber: 'dose_number',
  maker: 'maker',
  medicalWorker: 'medical_worker',
} as const;

export type Dimension = keyof typeof dimensionColumns;
export const allDimensions = Object.keys(dimensionColumns) as Dimension[];

export const textDimensions = new Set<Dimension>(['prefecture', 'municipality', 'sex', 'ageBand', 'maker']);
