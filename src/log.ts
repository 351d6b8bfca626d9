import { pino, type Logger } from 'pino';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export type { Logger };

/** Paths never written to logs: tokens, secrets and the text people type into incidents. */
const REDACT = [
  'token',
  '*.token',
  'headers.authorization',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.SLACK_APP_TOKEN',
  'config.DATABASE_URL',
  'config.REVIEW_API_TOKEN',
  'config.TWILIO_AUTH_TOKEN',
  'config.SMTP_URL',
  // Personal data of contact methods: never in logs, even by mistake.
  'phone',
  '*.phone',
  'address',
  '*.address',
  'email',
  '*.email',
  'title',
  '*.title',
  'summary',
  '*.summary',
  'text',
  '*.text',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { app: 'meridian' },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

/** What an error is logged as. */
export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  severity?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
  /** The statement's verb and table (`insert into "incidents"`), never its parameters. */
  query?: string;
  stack?: string;
  cause?: LoggedError;
}

/** Postgres driver fields safe to log, by our name: postgres.js spells them `table_name`, PGlite `table`. */
const PG_FIELDS = {
  severity: ['severity'],
  schema: ['schema_name', 'schema'],
  table: ['table_name', 'table'],
  column: ['column_name', 'column'],
  constraint: ['constraint_name', 'constraint'],
  routine: ['routine'],
} as const;

const MAX_CAUSES = 5;

/**
 * The one error serializer (`err`, and each `cause` under it). A database error carries what
 * people typed: drizzle's message holds the query's parameters, a Postgres `detail` the failing
 * row, a data exception's message the value it refused. So only named fields are logged, by
 * allow-list: never `params`, `parameters`, `detail`, `where`, nor the stack's first line.
 */
export function serializeError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: typeof err === 'string' ? err : 'a non-Error value was thrown' };
  // Driver errors carry extra own fields (code, query, Postgres's detail...): read them by name.
  const fields = err as Error & Record<string, unknown>;
  const out: LoggedError = { type: err.name || 'Error', message: safeErrorMessage(err) };
  if (typeof fields.code === 'string') out.code = fields.code;
  for (const [name, keys] of Object.entries(PG_FIELDS) as Array<[keyof typeof PG_FIELDS, readonly string[]]>) {
    const value = keys.map((k) => fields[k]).find((v) => typeof v === 'string' && v !== '');
    if (typeof value === 'string') out[name] = value;
  }
  const query = typeof fields.query === 'string' ? statementName(fields.query) : undefined;
  if (query) out.query = query;
  const frames = err.stack?.split('\n').filter((line) => line.startsWith('    at '));
  if (frames?.length) out.stack = frames.join('\n');
  if (err.cause !== undefined && depth < MAX_CAUSES) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

/**
 * An error's message with nothing a person typed: a drizzle "Failed query" becomes the
 * statement's name; a Postgres data exception (class 22: bad uuid, enum, NUL byte) loses the
 * quoted value it ends with. For logs and `scheduled_actions.last_error`.
 */
export function safeErrorMessage(err: Error): string {
  if (err.message.startsWith('Failed query:')) {
    const query = (err as { query?: unknown }).query;
    return `Failed query: ${typeof query === 'string' ? statementName(query) : 'a statement'}`;
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) {
    const cut = err.message.indexOf(': "');
    return cut >= 0 ? `${err.message.slice(0, cut)}: [redacted]` : err.message;
  }
  return err.message;
}

/** `insert into "incidents"`, `update "pages"`, `select from "incidents"`: the verb and first table of a statement. */
function statementName(query: string): string {
  const verb = query.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  const table = /\b(into|update|from)\s+("[^"]+"|[a-z_][a-z0-9_.]*)/i.exec(query);
  const where = table
    ? table[1]?.toLowerCase() === 'into'
      ? `into ${table[2]}`
      : table[1]?.toLowerCase() === 'update'
        ? `${table[2]}`
        : `from ${table[2]}`
    : '';
  return [verb, where].filter(Boolean).join(' ').slice(0, 80) || 'a statement';
}

/** Bolt wants its own Logger interface; this routes it into pino. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const child = log.child({ component: 'bolt' });
  // Bolt logs several debug lines per request: build the string only when the level is on.
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      // Bolt logs errors by their message, which for a database error holds the query's parameters.
      if (child.isLevelEnabled(level))
        child[level](msg.map((m) => (m instanceof Error ? `${m.name}: ${safeErrorMessage(m)}` : String(m))).join(' '));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
