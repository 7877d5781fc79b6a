/** A name for one process-wide service of type T (declared beside the service, so the registry knows no capability). */
export type ServiceKey<T> = { readonly name: string; readonly _type?: T };

export const serviceKey = <T>(name: string): ServiceKey<T> => ({ name });

/**
 * The process's shared services (projections, live statistics, scans…): each made once, on first use, and
 * stopped at shutdown in the order they were registered (a `first` stopper before the others).
 */
export type Services = {
  /** The service under `key`, made by `make` the first time. */
  of: <T>(key: ServiceKey<T>, make: () => T) => T;
  /** The service under `key` if it was made. */
  peek: <T>(key: ServiceKey<T>) => T | undefined;
  /** Forgets a service whose making failed, so the next use makes it again. */
  forget: <T>(key: ServiceKey<T>) => void;
  onStop: (stop: () => Promise<void>, options?: { first?: boolean }) => void;
  /** Runs every stopper once; a failing one is reported and the rest still run. */
  stopAll: (onError?: (e: Error) => void) => Promise<void>;
};

export const createServices = (): Services => {
  const made = new Map<ServiceKey<unknown>, unknown>();
  const stoppers: (() => Promise<void>)[] = [];
  return {
    of: <T>(key: ServiceKey<T>, make: () => T): T => {
      if (made.has(key)) return made.get(key) as T;
      const service = make();
      made.set(key, service);
      return service;
    },
    peek: <T>(key: ServiceKey<T>) => made.get(key) as T | undefined,
    forget: (key) => void made.delete(key),
    onStop: (stop, options) => void (options?.first ? stoppers.unshift(stop) : stoppers.push(stop)),
    stopAll: async (onError = () => {}) => {
      for (const stop of stoppers.splice(0)) await stop().catch((e: Error) => onError(e));
    },
  };
};
