import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, placeholderNotes, sandboxRefusal, wantsSandbox } from '../../src/config.js';

const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('Slack credentials at start', () => {
  it('when neither credential is set (empty counts as unset), then npm start runs the sandbox', () => {
    expect(wantsSandbox({})).toBe(true);
    expect(wantsSandbox({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' })).toBe(true);
    expect(wantsSandbox({ SLACK_BOT_TOKEN: 'xoxb-1' })).toBe(false);
    expect(wantsSandbox({ SLACK_APP_TOKEN: 'xapp-1' })).toBe(false);
  });

  it('when only one is set, then the error is advice naming the other, not zod’s words', () => {
    expect(problems({ SLACK_SIGNING_SECRET: 'a-signing-secret' })).toEqual([
      'SLACK_BOT_TOKEN is missing. Set it to the bot token (xoxb-…), or unset SLACK_SIGNING_SECRET too to start the sandbox.',
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      "SLACK_SIGNING_SECRET is missing. Set it to the Signing Secret of the app's Basic Information page, or unset SLACK_BOT_TOKEN too to start the sandbox.",
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'not-a-token', SLACK_SIGNING_SECRET: 'a-signing-secret' })).toEqual([
      'SLACK_BOT_TOKEN: expected a bot token starting with xoxb-',
    ]);
  });
});

describe('a .env copied from .env.example unchanged', () => {
  const copied = { SLACK_BOT_TOKEN: 'xoxb-your-bot-token', SLACK_SIGNING_SECRET: 'your-signing-secret' };

  it('when both Slack variables are the placeholders, then npm start runs the sandbox and says what to set', () => {
    expect(wantsSandbox(copied)).toBe(true);
    expect(placeholderNotes(copied)).toEqual([
      "SLACK_BOT_TOKEN is still the placeholder from .env.example (xoxb-your-bot-token); ignored. To connect to Slack, set it to the app's Bot User OAuth Token (OAuth & Permissions page, xoxb-…).",
      "SLACK_SIGNING_SECRET is still the placeholder from .env.example (your-signing-secret); ignored. To connect to Slack, set it to the app's Signing Secret (Basic Information > App Credentials).",
    ]);
  });

  it('when one is real and the other a placeholder, then the start stops naming the placeholder and where the real value is', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'your-signing-secret' })).toEqual([
      "SLACK_SIGNING_SECRET is still the placeholder from .env.example (your-signing-secret). Set it to the app's Signing Secret (Basic Information > App Credentials), or empty SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to start the sandbox.",
    ]);
    expect(problems({ ...copied, SLACK_SIGNING_SECRET: 'a-real-signing-secret' })[0]).toMatch(/^SLACK_BOT_TOKEN is still the placeholder/);
  });
});

describe('the sandbox where real data lives', () => {
  it('when NODE_ENV=production or a DATABASE_URL is set without SANDBOX=1, then the sandbox is refused with what to set', () => {
    expect(sandboxRefusal({})).toBeUndefined();
    expect(sandboxRefusal({ NODE_ENV: 'production' })).toContain('NODE_ENV=production');
    const refusal = sandboxRefusal({ DATABASE_URL: 'postgres://db/meridian', SLACK_BOT_TOKEN: 'xoxb-your-bot-token' });
    expect(refusal).toContain('DATABASE_URL is set');
    expect(refusal).toContain('SLACK_BOT_TOKEN is the .env.example placeholder');
    expect(refusal).toContain('set SANDBOX=1 to start the sandbox anyway');
    expect(refusal).not.toContain('postgres://');
    expect(sandboxRefusal({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/meridian', SANDBOX: '1' })).toBeUndefined();
  });
});
