import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InvalidInput, NotFound, UserError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { answerViewSubmission, errorReply, GENERIC_FAILURE } from '../../src/slack/reply.js';

function logged(): { logger: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

async function viewAnswer(err: unknown): Promise<unknown> {
  let answered: unknown;
  await answerViewSubmission(
    async (response?: unknown) => {
      answered = response;
    },
    err,
    {
      ...logged(),
      context: {},
      fallbackBlock: 'first',
      plainText: async (text: string) => text,
    },
  );
  return answered;
}

describe('one way for an error to reach a person', () => {
  it('shows a user error its own message, and logs it as the caller’s', () => {
    const { logger, lines } = logged();
    expect(errorReply(new NotFound('No such incident.'), logger, { userId: 'U1' })).toEqual({
      text: ':warning: No such incident.',
      fields: null,
      inline: 'No such incident.',
    });
    expect(lines[0]).toMatchObject({ level: 30, code: 'not_found', userId: 'U1', msg: 'user error' });
  });

  it('answers a fault with the calm generic line and logs it as an error', () => {
    const { logger, lines } = logged();
    expect(errorReply(new Error('connection reset'), logger, {}).text).toBe(GENERIC_FAILURE);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'request failed' });
  });

  it('keeps a modal open with an InvalidInput’s fields inline', async () => {
    expect(await viewAnswer(new InvalidInput({ to: 'The end must be after the start.' }))).toEqual({
      response_action: 'errors',
      errors: { to: 'The end must be after the start.' },
    });
  });

  it('puts a user error that names a field on that field, and one that names none on the first block', async () => {
    expect(await viewAnswer(new UserError('too_long', 'Keep it under 80 characters.', 'title'))).toEqual({
      response_action: 'errors',
      errors: { title: 'Keep it under 80 characters.' },
    });
    expect(await viewAnswer(new NotFound('That incident no longer exists.'))).toEqual({
      response_action: 'errors',
      errors: { first: 'That incident no longer exists.' },
    });
    expect(await viewAnswer(new Error('boom'))).toEqual({ response_action: 'errors', errors: { first: GENERIC_FAILURE } });
  });
});
