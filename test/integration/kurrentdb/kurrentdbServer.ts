import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';
import { isKurrentDbUrl } from '../../../src/eventstore/kurrentdb/connectionString.js';

/** 25.1 or newer so multi-stream append (transfers) is covered; override to test an older server's refusal. */
export const KURRENTDB_IMAGE = process.env.KURRENTDB_TEST_IMAGE ?? 'kurrentplatform/kurrentdb:26.1.1';

export type TestServer = { connectionString: string; stop: () => Promise<void> };

/** Where the tests find a server: a URL from the environment, else a container, else a reason why not. */
export type ServerSource =
  | { kind: 'url'; connectionString: string }
  | { kind: 'container' }
  | { kind: 'none'; reason: string };

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 160);

export const findServerSource = async (env = process.env): Promise<ServerSource> => {
  const url = env.KURRENTDB_TEST_URL || (isKurrentDbUrl(env.EVENTSTORE_URL) ? env.EVENTSTORE_URL : undefined);
  if (url) return { kind: 'url', connectionString: url };
  try {
    // Fails in milliseconds when there is no Docker/Podman socket.
    await getContainerRuntimeClient();
    return { kind: 'container' };
  } catch (e) {
    return {
      kind: 'none',
      reason: `no KurrentDB server: KURRENTDB_TEST_URL/EVENTSTORE_URL unset and no container runtime (${oneLine((e as Error).message)})`,
    };
  }
};

/** A throw-away single-node KurrentDB: in-memory, insecure, on a random host port. */
export const startKurrentDbContainer = async (): Promise<TestServer> => {
  const container = await new GenericContainer(KURRENTDB_IMAGE)
    .withEnvironment({
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_MEM_DB: 'true',
      KURRENTDB_RUN_PROJECTIONS: 'None',
      KURRENTDB_ENABLE_ATOM_PUB_OVER_HTTP: 'false',
    })
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((s) => s >= 200 && s < 300))
    .withStartupTimeout(120_000)
    .start();
  return {
    connectionString: `kurrentdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
    stop: async () => {
      await container.stop();
    },
  };
};
