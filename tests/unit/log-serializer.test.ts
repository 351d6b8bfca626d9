import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger, serializeError } from '../../src/log.js';

const SENTINEL = 'CHILD-SAFETY-SENTINEL-4711';

function capture(): { logger: ReturnType<typeof createLogger>; output: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('debug', sink), output: () => chunks.join('') };
}

/** A Postgres error as postgres.js raises it: the failing row in `detail`, the parameters beside it. */
function postgresError(): Error {
  return Object.assign(new Error('new row for relation "incidents" violates check constraint "incidents_probe"'), {
    name: 'PostgresError',
    code: '23514',
    severity: 'ERROR',
    schema_name: 'public',
    table_name: 'incidents',
    constraint_name: 'incidents_probe',
    routine: 'ExecConstraints',
    detail: `Failing row contains (${SENTINEL}, ...)`,
    parameters: [SENTINEL],
    query: 'insert into "incidents" ("title") values ($1)',
  });
}

describe('the error serializer', () => {
  it('when a drizzle query fails, then its name, code, table and constraint are logged and no parameter, detail or message', () => {
    const err = new DrizzleQueryError(
      'insert into "incidents" ("title", "summary") values ($1, $2)',
      [SENTINEL, SENTINEL],
      postgresError(),
    );
    const { logger, output } = capture();
    logger.error({ err }, 'request failed');
    const line = JSON.parse(output()) as { err: Record<string, unknown> };
    expect(output()).not.toContain(SENTINEL);
    expect(line.err).toMatchObject({
      message: 'Failed query: insert into "incidents"',
      query: 'insert into "incidents"',
      cause: {
        type: 'PostgresError',
        code: '23514',
        severity: 'ERROR',
        table: 'incidents',
        constraint: 'incidents_probe',
        routine: 'ExecConstraints',
      },
    });
  });

  it('when Postgres refuses a value, then the value it quotes is not logged', () => {
    const err = Object.assign(new Error(`invalid input syntax for type uuid: "${SENTINEL}' or 1=1--"`), { code: '22P02' });
    expect(serializeError(err).message).toBe('invalid input syntax for type uuid: [redacted]');
  });

  it('when Bolt logs a database error itself, then its message is the safe one', () => {
    const { logger, output } = capture();
    boltLogger(logger).error('An unhandled error', new DrizzleQueryError('update "pages" set "x" = $1', [SENTINEL]));
    expect(output()).toContain('Failed query: update \\"pages\\"');
    expect(output()).not.toContain(SENTINEL);
  });
});
