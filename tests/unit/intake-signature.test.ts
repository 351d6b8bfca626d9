import { describe, expect, it } from 'vitest';
import { intakeSignature, verifyIntakeSignature } from '../../src/http/intake-signature.js';

const secret = 'unit-intake-secret-0123';
const body = '{"external_id":"1","source":"crm","title":"Hello"}';
const at = new Date('2026-03-01T12:00:00Z');
const ts = String(at.getTime() / 1000);

const verify = (over: Partial<Parameters<typeof verifyIntakeSignature>[0]> = {}) =>
  verifyIntakeSignature({ secret, timestamp: ts, signature: intakeSignature(secret, ts, body), rawBody: body, now: at, ...over });

describe('verifying an intake signature', () => {
  it('accepts a request signed with the secret over the timestamp and the raw body', () => {
    expect(verify()).toBe(true);
  });

  it('accepts a timestamp exactly five minutes off either way, and refuses one a second more', () => {
    expect(verify({ now: new Date(at.getTime() + 300_000) })).toBe(true);
    expect(verify({ now: new Date(at.getTime() - 300_000) })).toBe(true);
    expect(verify({ now: new Date(at.getTime() + 301_000) })).toBe(false);
    expect(verify({ now: new Date(at.getTime() - 301_000) })).toBe(false);
  });

  it('refuses another secret, another body, a missing header and a malformed timestamp', () => {
    expect(verify({ signature: intakeSignature('another-secret-000', ts, body) })).toBe(false);
    expect(verify({ rawBody: `${body} ` })).toBe(false);
    expect(verify({ signature: undefined })).toBe(false);
    expect(verify({ timestamp: undefined })).toBe(false);
    expect(verify({ timestamp: `${ts}.5`, signature: intakeSignature(secret, `${ts}.5`, body) })).toBe(false);
    expect(verify({ signature: 'v0=short' })).toBe(false);
  });
});
