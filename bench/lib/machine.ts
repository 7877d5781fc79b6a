import { cpus } from 'node:os';

export type Machine = { cpu: string; cores: number; node: string; postgres: string };

export const describeMachine = (postgres: string): Machine => {
  const list = cpus();
  return { cpu: list[0]?.model.trim() ?? 'unknown', cores: list.length, node: process.version, postgres };
};

export const machineLine = (m: Machine) => `${m.cpu}, ${m.cores} cores, Node ${m.node}, PostgreSQL ${m.postgres}`;
