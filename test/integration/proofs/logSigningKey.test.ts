import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../../src/runtime/config.js';
import { loadLogSigningSeed } from '../../../src/proofs/logSigningKey.js';

describe('the checkpoint signing key', () => {
  it('is created 0600 in VRS_DATA_DIR/keys on first use and reused after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vrs-logkey-'));
    try {
      const first = await loadLogSigningSeed({ VRS_DATA_DIR: dir });
      expect(first.length).toBe(32);
      const file = join(dir, 'keys', 'log-signing.key');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'keys'))).mode & 0o777).toBe(0o700);
      expect((await loadLogSigningSeed({ VRS_DATA_DIR: dir })).equals(first)).toBe(true);
      await writeFile(file, 'not a key\n');
      await expect(loadLogSigningSeed({ VRS_DATA_DIR: dir })).rejects.toThrow(/not 64 hex characters/);
      expect(await readFile(file, 'utf8')).toBe('not a key\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('comes from VRS_LOG_SIGNING_KEY when set, validated at start', async () => {
    const hex = 'ab'.repeat(32);
    const config = loadConfig({ VRS_LOG_SIGNING_KEY: hex });
    expect((await loadLogSigningSeed({ ...config, VRS_DATA_DIR: '/nonexistent' })).toString('hex')).toBe(hex);
    expect(() => loadConfig({ VRS_LOG_SIGNING_KEY: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ VRS_LOG_SIGNING_KEY: 'abc' })).toThrow(/VRS_LOG_SIGNING_KEY: must be 64 hex/);
    expect(() => loadConfig({ VRS_LOG_ORIGIN: 'has space' })).toThrow(/VRS_LOG_ORIGIN/);
    expect(() => loadConfig({ VRS_LOG_ORIGIN: 'a+b' })).toThrow(/VRS_LOG_ORIGIN/);
    expect(loadConfig({}).VRS_LOG_ORIGIN).toBe('vrs-ledger.local');
  });
});
