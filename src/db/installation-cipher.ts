import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals Slack installations (they hold bot tokens) for storage: AES-256-GCM, a fresh 12-byte
 * IV per seal, the 16-byte tag checked on open, so a changed or swapped value fails loudly.
 * `aad` binds a sealed value to its row (the install key): a value copied to another row does
 * not open there.
 */
export interface InstallationCipher {
  seal(plain: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

const VERSION = 'v1';

/** Reads INSTALLATION_ENCRYPTION_KEY: 32 bytes, as base64 (or 64 hex digits). */
export function parseEncryptionKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : undefined;
}

export function createInstallationCipher(key: Buffer): InstallationCipher {
  if (key.length !== 32) throw new Error('the installation encryption key must be 32 bytes');
  return {
    seal(plain, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, aad) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new Error('a stored installation is not sealed in a format this version reads');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
