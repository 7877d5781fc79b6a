import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../../src/runtime/config.js';

describe('rate-limit configuration', () => {
  it('has sane defaults', () => {
    expect(loadConfig({})).toMatchObject({ VRS_RATE_WINDOW_SECONDS: 60, VRS_RATE_LOOKUPS: 60, VRS_RATE_TRANSFERS: 30, VRS_RATE_SITE_REFUSALS: 20 });
  });
  it('reads numbers from the environment', () => {
    expect(loadConfig({ VRS_RATE_LOOKUPS: '5', VRS_RATE_WINDOW_SECONDS: '3600' })).toMatchObject({ VRS_RATE_LOOKUPS: 5, VRS_RATE_WINDOW_SECONDS: 3600 });
  });
  it.each([
    ['VRS_RATE_LOOKUPS', '0'],
    ['VRS_RATE_TRANSFERS', 'many'],
    ['VRS_RATE_SITE_REFUSALS', '-1'],
    ['VRS_RATE_WINDOW_SECONDS', '86401'],
  ])('stops start-up naming %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
