import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, wantsSandbox } from '../../src/config.js';

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
