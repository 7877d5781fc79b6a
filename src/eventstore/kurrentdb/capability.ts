/** gRPC method behind `multiStreamAppend` (KurrentDB 25.1+). */
export const APPEND_SESSION_PATH = '/kurrentdb.protocol.v2.streams.StreamsService/AppendSession';

export type MultiStreamSupport = { supported: boolean; message: string };

const parseVersion = (v: string): [number, number] | null => {
  const m = /^(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
};

/**
 * Whether the server can append to several streams atomically: it lists the method, or says it is 25.1 or newer.
 * The message is the one start-up line an operator needs to read.
 */
export const multiStreamSupport = (serverVersion: string, methodListed: boolean): MultiStreamSupport => {
  const v = parseVersion(serverVersion);
  const newEnough = !!v && (v[0] > 25 || (v[0] === 25 && v[1] >= 1));
  if (methodListed || newEnough) {
    return { supported: true, message: `KurrentDB ${serverVersion}: multi-stream append available; transfers enabled` };
  }
  return {
    supported: false,
    message:
      `KurrentDB server ${serverVersion || 'of unknown version'} has no multi-stream append (needs KurrentDB 25.1+): ` +
      'transfers are refused (STORE_CAPABILITY_MISSING) rather than risk a half-written transfer',
  };
};
