import { describe, it, expect } from '@jest/globals';
import { multiStreamSupport } from '../../../src/eventstore/kurrentdb/capability.js';
import { isKurrentDbUrl, normalizeConnectionString } from '../../../src/eventstore/kurrentdb/connectionString.js';

describe('KurrentDB multi-stream append detection', () => {
  it.each(['25.1.0.2299', '25.1.0', '25.2.1', '26.0.0', '100.0'])('enables it on server %s', (v) => {
    expect(multiStreamSupport(v, false).supported).toBe(true);
  });

  it.each(['24.10.5', '25.0.1', '23.10.0', '20.10.5', 'unknown', ''])('refuses it on server %p', (v) => {
    const s = multiStreamSupport(v, false);
    expect(s.supported).toBe(false);
    expect(s.message).toMatch(/needs KurrentDB 25\.1\+.*transfers are refused/);
  });

  it('trusts the server listing the method, whatever its version says', () => {
    expect(multiStreamSupport('unknown', true).supported).toBe(true);
  });
});

describe('EVENTSTORE_URL selection', () => {
  it.each(['kurrentdb://localhost:2113?tls=false', 'esdb://a:2113,b:2113,c:2113', 'esdb+discover://cluster.example', 'kurrentdb+discover://x', 'KDB://x'])(
    'selects KurrentDB for %s',
    (url) => expect(isKurrentDbUrl(url)).toBe(true),
  );

  it.each([undefined, '', 'postgres://localhost/vrs', 'http://localhost:2113', 'esdbx://x'])('does not for %p', (url) =>
    expect(isKurrentDbUrl(url)).toBe(false),
  );

  it('renames the deprecated esdb scheme, keeping the rest', () => {
    expect(normalizeConnectionString('esdb://a:2113,b:2113?tls=false')).toBe('kurrentdb://a:2113,b:2113?tls=false');
    expect(normalizeConnectionString('esdb+discover://c.example:2113')).toBe('kurrentdb+discover://c.example:2113');
    expect(normalizeConnectionString('kurrentdb://x')).toBe('kurrentdb://x');
  });
});
