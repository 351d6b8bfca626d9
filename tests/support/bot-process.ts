import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtBotBundle } from './bot-bundle.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The real entry point (src/main.ts) in a child process, as it runs in production. */
export interface BotProcess {
  pid: number;
  /** Resolves with the HTTP port once the bot logged "Meridian is running". */
  ready: Promise<number>;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
  /** Everything it wrote so far, for failure messages. */
  output(): string;
  /** Sends `signal` (SIGKILL by default) if it still runs, and waits until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts src/main.ts with `env` on top of this process's environment: from the bundle the global
 * setup built once for the run (tests/support/bot-bundle.ts), else (a bench outside vitest) as
 * `node --import tsx src/main.ts`. LOG_LEVEL defaults to info: readiness is read from the start-up
 * log line. `args: ['--worker']` starts it as `npm run worker` does (workers and reconciler, no
 * Slack edge). `cwd` runs it from another directory (where it looks for `.env`), with the
 * repository's entry point.
 */
export function spawnBot(env: Record<string, string>, opts: { readyTimeoutMs?: number; args?: string[]; cwd?: string } = {}): BotProcess {
  const bundle = builtBotBundle();
  const tsxLoader = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const entry = bundle ? ['--enable-source-maps', bundle] : ['--import', tsxLoader, path.join(REPO_ROOT, 'src/main.ts')];
  const child: ChildProcess = spawn(process.execPath, [...entry, ...(opts.args ?? [])], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, SLACK_APP_TOKEN: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onLine: ((line: string) => void) | undefined;
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine?.(line);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start in time:\n${out}`)), opts.readyTimeoutMs ?? 30_000);
    onLine = (line) => {
      if (!line.includes('Meridian is running')) return;
      try {
        const port = (JSON.parse(line) as { port?: number }).port;
        if (typeof port === 'number') {
          clearTimeout(timer);
          resolve(port);
        }
      } catch {
        /* not JSON: keep reading */
      }
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited (${code}) before it was ready:\n${out}`));
    });
  });
  ready.catch(() => {}); // callers that never await it must not see an unhandled rejection
  return {
    pid: child.pid!,
    ready,
    exited,
    output: () => out,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
