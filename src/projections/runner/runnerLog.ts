import { pino } from 'pino';

/** The pino-shaped logger the runner writes to (fastify's `app.log` fits). Fields never carry personal data. */
export type RunnerLog = {
  info: (fields: object, message: string) => void;
  warn: (fields: object, message: string) => void;
  error: (fields: object, message: string) => void;
};

export const defaultRunnerLog = (): RunnerLog => pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
