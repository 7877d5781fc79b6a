import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../../src/runtime/config.js';

describe('cache bounds configuration', () => {
  it('has byte bounds by default', () => {
    expect(loadConfig({})).toMatchObject({ VRS_CACHE_DATA_KEYS_BYTES: 16 * 1024 ** 2, VRS_CACHE_STREAM_HEADS_BYTES: 2 * 1024 ** 2, VRS_CACHE_TOKENS_BYTES: 4 * 1024 ** 2 });
  });
  it('reads bytes, k, m and g from the environment; 0 turns a cache off', () => {
    expect(loadConfig({ VRS_CACHE_DATA_KEYS_BYTES: '64m', VRS_CACHE_STREAM_HEADS_BYTES: '512KiB', VRS_CACHE_TOKENS_BYTES: '0' })).toMatchObject({
      VRS_CACHE_DATA_KEYS_BYTES: 64 * 1024 ** 2,
      VRS_CACHE_STREAM_HEADS_BYTES: 512 * 1024,
      VRS_CACHE_TOKENS_BYTES: 0,
    });
    expect(loadConfig({ VRS_CACHE_TOKENS_BYTES: '1g' }).VRS_CACHE_TOKENS_BYTES).toBe(1024 ** 3);
    expect(loadConfig({ VRS_CACHE_TOKENS_BYTES: '12345' }).VRS_CACHE_TOKENS_BYTES).toBe(12345);
  });
  it.each([
    ['VRS_CACHE_DATA_KEYS_BYTES', '-1'],
    ['VRS_CACHE_STREAM_HEADS_BYTES', 'lots'],
    ['VRS_CACHE_TOKENS_BYTES', '16 MBs'],
    ['VRS_CACHE_TOKENS_BYTES', '1.5m'],
    ['VRS_CACHE_DATA_KEYS_BYTES', '100g'],
  ])('stops start-up naming %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
