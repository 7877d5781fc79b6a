/** Codes a read-model request can fail with (statuses in src/api/errorMapping.ts). */
export const projectionErrorCodes = ['REBUILD_IN_PROGRESS', 'PROJECTION_NOT_FOUND', 'INVALID_CURSOR'] as const;
export type ProjectionErrorCode = (typeof projectionErrorCodes)[number];

/** Another rebuild of the same projection is running (in this or another process). */
export class RebuildInProgressError extends Error {
  readonly code = 'REBUILD_IN_PROGRESS' satisfies ProjectionErrorCode;
  constructor(readonly projection: string) {
    super(`a rebuild of ${projection} is already running`);
    this.name = 'RebuildInProgressError';
  }
}

export class UnknownProjectionError extends Error {
  readonly code = 'PROJECTION_NOT_FOUND' satisfies ProjectionErrorCode;
  constructor(name: string, known: string[]) {
    super(`no projection named ${JSON.stringify(name.slice(0, 64))}; known: ${known.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}
