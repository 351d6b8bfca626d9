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
  'title',
  '*.title',
  'summary',
  '*.summary',
  'text',
  '*.text',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'meridian' } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

/** Bolt wants its own Logger interface; this routes it into pino. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const child = log.child({ component: 'bolt' });
  // Bolt logs several debug lines per request: build the string only when the level is on.
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      if (child.isLevelEnabled(level)) child[level](msg.map(String).join(' '));
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
