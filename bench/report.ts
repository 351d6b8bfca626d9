/** The machine a benchmark ran on, and the marked sections of BENCHMARKS.md it rewrites. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import postgres from 'postgres';
import { Redis } from 'ioredis';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  redis: string;
  bolt: string;
  commit: string;
  date: string;
}

function readVersion(pkgPath: string): string {
  try {
    return (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function describeMachine(databaseUrl: string, redisUrl: string): Promise<Machine> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const redis = new Redis(redisUrl);
  try {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    const info = await redis.info('server');
    let commit = 'unknown';
    try {
      commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (dirty) commit += ' (src/ has uncommitted changes)';
    } catch {
      /* not a git checkout */
    }
    return {
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      postgres: row?.server_version ?? 'unknown',
      redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
      bolt: readVersion(new URL('../node_modules/@slack/bolt/package.json', import.meta.url).pathname),
      commit,
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
  } finally {
    await sql.end({ timeout: 2 });
    redis.disconnect();
  }
}

export function machineLines(m: Machine): string[] {
  return [
    `- CPU: ${m.cpu}, ${m.cores} cores; memory ${m.memoryGiB} GiB`,
    `- Node ${m.node}; PostgreSQL ${m.postgres}; Redis ${m.redis}; @slack/bolt ${m.bolt}`,
    `- Commit ${m.commit}; run at ${m.date}`,
  ];
}

const HEADER = `# Benchmarks

Produced by \`npm run bench\`. Each benchmark owns one marked section below and rewrites only that
section, so sections from different benchmarks (and runs) can sit side by side. Figures depend on
the machine; each section names the one it ran on.
`;

/** Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, or appends the section. */
export function writeSection(file: string, name: string, body: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
