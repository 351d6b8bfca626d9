import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createInstallationCipher, parseEncryptionKey } from '../../src/db/installation-cipher.js';
import { loadConfig } from '../../src/config.js';

describe('sealing stored installations (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const cipher = createInstallationCipher(key);
  const plain = JSON.stringify({ bot: { token: 'xoxb-org-secret-token' } });

  it('when an installation is sealed, then the token is not in the stored text, and it opens only under its own key and row', () => {
    const sealed = cipher.seal(plain, 'E0MERIDIAN');
    expect(sealed).not.toContain('xoxb');
    expect(sealed).not.toBe(cipher.seal(plain, 'E0MERIDIAN'));
    expect(cipher.open(sealed, 'E0MERIDIAN')).toBe(plain);
    expect(() => cipher.open(sealed, 'T0OTHER001')).toThrow();
    expect(() => createInstallationCipher(randomBytes(32)).open(sealed, 'E0MERIDIAN')).toThrow();
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${v}.${iv}.${tag}.${(body ?? '').startsWith('A') ? `B${(body ?? '').slice(1)}` : `A${(body ?? '').slice(1)}`}`;
    expect(() => cipher.open(flipped, 'E0MERIDIAN')).toThrow();
  });

  it('when the key or the OAuth settings are wrong, then the start refuses naming the variable', () => {
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
    expect(parseEncryptionKey('too-short')).toBeUndefined();
    const oauth = { SLACK_SIGNING_SECRET: 'signing-secret-123', SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'client-secret' };
    expect(() => loadConfig({ ...oauth, SLACK_STATE_SECRET: 'state-secret-0123456789', INSTALLATION_ENCRYPTION_KEY: 'short' })).toThrow(
      /INSTALLATION_ENCRYPTION_KEY: expected 32 random bytes/,
    );
    expect(() => loadConfig(oauth)).toThrow(/SLACK_CLIENT_ID needs SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, INSTALLATION_ENCRYPTION_KEY/);
    expect(() =>
      loadConfig({
        ...oauth,
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_STATE_SECRET: 'state-secret-0123456789',
        INSTALLATION_ENCRYPTION_KEY: key.toString('base64'),
      }),
    ).toThrow(/SLACK_CLIENT_ID and SLACK_BOT_TOKEN are both set/);
    const config = loadConfig({
      ...oauth,
      SLACK_STATE_SECRET: 'state-secret-0123456789',
      INSTALLATION_ENCRYPTION_KEY: key.toString('base64'),
    });
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 'signing-secret-123' })).toThrow(/SLACK_BOT_TOKEN is missing/);
  });
});
