import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'test-signing-secret',
  DATABASE_URL: 'postgres://localhost/meridian',
  REDIS_URL: 'redis://localhost:6379',
};
const INTAKE_SECRET = 'intake-secret-0123456789';
const ADVICE = "INTAKE_CHANNEL is missing: set it to the triage channel's id (C…), or unset INTAKE_SIGNING_SECRET";

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('the environment', () => {
  it('refuses INTAKE_SIGNING_SECRET without INTAKE_CHANNEL, saying what to set', () => {
    const problems = problemsOf({ ...BASE, INTAKE_SIGNING_SECRET: INTAKE_SECRET });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(ADVICE);
    expect(problemsOf({ ...BASE, INTAKE_SIGNING_SECRET: INTAKE_SECRET, INTAKE_CHANNEL: '' })[0]).toContain(ADVICE);
  });

  it('accepts the intake API with its channel, and neither of them', () => {
    expect(problemsOf({ ...BASE, INTAKE_SIGNING_SECRET: INTAKE_SECRET, INTAKE_CHANNEL: 'C0123456789' })).toEqual([]);
    expect(problemsOf(BASE)).toEqual([]);
    expect(problemsOf({ ...BASE, INTAKE_CHANNEL: 'C0123456789' })).toEqual([]);
  });

  it('names the missing channel alongside other mistakes', () => {
    const problems = problemsOf({ ...BASE, PORT: 'eighty', INTAKE_SIGNING_SECRET: INTAKE_SECRET });
    expect(problems.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(problems.some((p) => p.includes(ADVICE))).toBe(true);
  });
});
