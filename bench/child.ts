/** Forks a TypeScript file of bench/ as a child process with an IPC channel (tsx loader inherited). */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Child<In, Out extends { type: string }> {
  process: ChildProcess;
  send(msg: In): void;
  /** The next message of this type; rejects when the child reports `failed` or exits first. */
  next<T extends Out['type']>(type: T): Promise<Extract<Out, { type: T }>>;
  on<T extends Out['type']>(type: T, listener: (msg: Extract<Out, { type: T }>) => void): void;
  /** Sends `stopMessage` and waits for the exit (SIGKILL after 10 s). */
  stop(stopMessage: In): Promise<void>;
}

export function forkTs<In, Out extends { type: string }>(
  file: URL,
  opts: { name: string; env?: Record<string, string>; cpuProfileDir?: string },
): Child<In, Out> {
  const execArgv = [...process.execArgv];
  if (opts.cpuProfileDir) {
    mkdirSync(opts.cpuProfileDir, { recursive: true });
    // Default file names: the tsx loader runs in a thread of its own, which writes its own profile.
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}/${opts.name.replace(/\W+/g, '-')}`);
  }
  const child = fork(fileURLToPath(file), [], {
    execArgv,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    process: child,
    send: (msg) => void child.send(msg as object),
    next: (type) =>
      new Promise((resolve, reject) => {
        const onMessage = (msg: Out | { type: 'failed'; error: string }) => {
          if (msg.type === 'failed') {
            cleanup();
            reject(new Error(`${opts.name} failed:\n${(msg as { error: string }).error}`));
          } else if (msg.type === type) {
            cleanup();
            resolve(msg as Extract<Out, { type: typeof type }>);
          }
        };
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`${opts.name} exited with ${code} while waiting for ${type}`));
        };
        const cleanup = () => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
      }),
    on: (type, listener) =>
      void child.on('message', (msg: Out) => {
        if (msg.type === type) listener(msg as Extract<Out, { type: typeof type }>);
      }),
    async stop(stopMessage) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send(stopMessage as object);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
