/** One line of the summary table. `ratio` is figure / baseline unless the bench says otherwise (e.g. for times). */
export type BenchRow = {
  name: string;
  figure: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  ratio?: number;
  /** The goal this row is held to, in words (e.g. ">= 0.8x raw"). */
  target?: string;
};

export type BenchOptions = {
  /** Small sizes: every bench together must finish `npm run bench -- --quick` in under two minutes. */
  quick: boolean;
  /** A server URL on a fresh cluster (fsync on). Without it, a standalone bench starts its own embedded server. */
  databaseUrl?: string;
};

export type BenchResult = { rows: BenchRow[]; notes?: string[] };

/** What every `bench/*.ts` exports as `run`. */
export type Bench = (options: BenchOptions) => Promise<BenchResult>;
