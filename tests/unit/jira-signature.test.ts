import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jiraSignature, verifyJiraSignature } from '../../src/http/jira-signature.js';

const SECRET = 'jira-admin-webhook-secret-42';
const BODY = '{"webhookEvent":"jira:issue_updated","issue":{"key":"LEGAL-1"}}';

describe("Jira admin webhooks' signature", () => {
  it('when the body is signed with the secret as Jira does (sha256=<hex HMAC-SHA256 of the raw body>), then it is believed', () => {
    const signature = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
    expect(jiraSignature(SECRET, BODY)).toBe(signature);
    expect(verifyJiraSignature({ secret: SECRET, signature, rawBody: Buffer.from(BODY) })).toBe(true);
  });

  it('when the secret, the body or the form differ, then it is not', () => {
    const good = jiraSignature(SECRET, BODY);
    expect(verifyJiraSignature({ secret: 'another-secret-of-16+', signature: good, rawBody: BODY })).toBe(false);
    expect(verifyJiraSignature({ secret: SECRET, signature: good, rawBody: `${BODY} ` })).toBe(false);
    expect(verifyJiraSignature({ secret: SECRET, signature: good.replace('sha256=', ''), rawBody: BODY })).toBe(false);
    expect(verifyJiraSignature({ secret: SECRET, signature: '', rawBody: BODY })).toBe(false);
  });
});
