import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { APPEND_SESSION_PATH, multiStreamSupport, type MultiStreamSupport } from './capability.js';

/** The client's server-feature probe is protected; this is the part of it we call. */
type FeatureProbe = {
  capabilities: Promise<{ serverVersion: string }>;
  supports: (method: { path: string }) => Promise<boolean>;
};

/** Asks the server (one gRPC call, cached by the client) for its version and methods. Fails if unreachable. */
export const detectMultiStreamAppend = async (client: KurrentDBClient): Promise<MultiStreamSupport & { serverVersion: string }> => {
  const probe = client as unknown as FeatureProbe;
  const { serverVersion } = await probe.capabilities;
  const listed = await probe.supports({ path: APPEND_SESSION_PATH });
  return { ...multiStreamSupport(serverVersion, listed), serverVersion };
};
