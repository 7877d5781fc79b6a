/** Schemes that select KurrentDB (or EventStoreDB >= 20) for events: `EVENTSTORE_URL=kurrentdb://…` or `esdb://…`. */
const SCHEMES = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//i;

export const isKurrentDbUrl = (url: string | undefined): boolean => !!url && SCHEMES.test(url.trim());

/** `esdb://` is the EventStoreDB spelling; the client takes it but warns on every start, so we rename it. */
export const normalizeConnectionString = (url: string): string =>
  url.trim().replace(/^esdb(\+discover)?:\/\//i, (_m, discover: string | undefined) => `kurrentdb${discover ?? ''}://`);
