/** Another rebuild of the same projection is running (in this or another process). */
export class RebuildInProgressError extends Error {
  readonly code = 'REBUILD_IN_PROGRESS';
  constructor(readonly projection: string) {
    super(`a rebuild of ${projection} is already running`);
    this.name = 'RebuildInProgressError';
  }
}

export class UnknownProjectionError extends Error {
  readonly code = 'PROJECTION_NOT_FOUND';
  constructor(name: string, known: string[]) {
    super(`no projection named ${JSON.stringify(name.slice(0, 64))}; known: ${known.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}
