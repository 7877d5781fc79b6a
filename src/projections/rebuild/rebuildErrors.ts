import { CodedError } from '../../domain/errors.js';

/** Codes a read-model request can fail with (statuses in src/api/errorMapping.ts). */
export const projectionErrorCodes = ['REBUILD_IN_PROGRESS', 'PROJECTION_NOT_FOUND', 'INVALID_CURSOR'] as const;
export type ProjectionErrorCode = (typeof projectionErrorCodes)[number];

/** Another rebuild of the same projection is running (in this or another process). */
export class RebuildInProgressError extends CodedError<ProjectionErrorCode> {
  constructor(readonly projection: string) {
    super('REBUILD_IN_PROGRESS', `a rebuild of ${projection} is already running`);
  }
}

export class UnknownProjectionError extends CodedError<ProjectionErrorCode> {
  constructor(name: string, known: string[]) {
    super('PROJECTION_NOT_FOUND', `no projection named ${JSON.stringify(name.slice(0, 64))}; known: ${known.join(', ')}`);
  }
}
