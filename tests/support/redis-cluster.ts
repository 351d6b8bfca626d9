import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * A Redis Cluster of `masters` nodes (no replicas) from the system's redis-server, on free ports
 * of its own (never 6379: the shared Redis other test files use), each node in a temp directory
 * with its own nodes.conf and append-only file. `nodes` is what REDIS_CLUSTER_NODES takes.
 */
export interface TestRedisCluster {
  /** `127.0.0.1:port,...`, one per master. */
  nodes: string;
  ports: number[];
  /** SIGKILLs every node and deletes its files: everything the cluster held is gone (Redis "lost"). */
  kill(): Promise<void>;
  /** After kill(): an empty cluster again, on the same ports, so clients reconnect to it. */
  restart(): Promise<void>;
  /** Stops every node (SIGTERM, waits for each to exit) and removes their directories. */
  stop(): Promise<void>;
}

const INSTALL = 'Redis Cluster tests need redis-server and redis-cli: apt-get install redis-server (it pulls in redis-tools).';

export async function startRedisCluster(opts: { masters?: number; timeoutMs?: number } = {}): Promise<TestRedisCluster> {
  const masters = opts.masters ?? 3;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  for (const tool of ['redis-server', 'redis-cli']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) throw new Error(INSTALL);
  }
  const allPorts = await freePorts(masters * 2);
  const ports = allPorts.slice(0, masters);
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  let nodes: Array<{ port: number; dir: string; child: ChildProcess }> = [];
  // A test run killed before its teardown must not leave servers behind.
  const killAll = () => {
    for (const { child } of nodes) child.kill('SIGKILL');
  };
  const halt = async (signal: NodeJS.Signals) => {
    const stopping = nodes;
    nodes = [];
    await Promise.all(stopping.map(({ child }) => stopChild(child, signal)));
    for (const { dir } of stopping) rmSync(dir, { recursive: true, force: true });
  };
  const launch = async () => {
    try {
      for (const [i, port] of ports.entries()) {
        const dir = mkdtempSync(path.join(tmpdir(), `meridian-cluster-${port}-`));
        // The cluster bus port is given explicitly: port + 10000 may be taken or out of range.
        const args = ['--port', String(port), '--cluster-port', String(allPorts[masters + i]), '--bind', '127.0.0.1', '--dir', dir];
        args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000');
        args.push('--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--logfile', path.join(dir, 'redis.log'));
        nodes.push({ port, dir, child: spawn('redis-server', args, { stdio: 'ignore' }) });
      }
      for (const node of nodes)
        await until(
          () => answers(node.port),
          `redis-server on ${node.port}`,
          timeoutMs,
          () => logOf(node.dir),
        );
      await redisCli(['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
      for (const node of nodes) {
        await until(
          () => clusterOk(node.port),
          `cluster_state:ok on ${node.port}`,
          timeoutMs,
          () => logOf(node.dir),
        );
      }
    } catch (err) {
      await halt('SIGKILL');
      throw err;
    }
  };
  process.on('exit', killAll);
  try {
    await launch();
  } catch (err) {
    process.off('exit', killAll);
    throw err;
  }
  return {
    nodes: addresses.join(','),
    ports,
    kill: () => halt('SIGKILL'),
    restart: launch,
    async stop() {
      await halt('SIGTERM');
      process.off('exit', killAll);
    },
  };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Distinct free ports, each held until all are found so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    }),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function withNode<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T | false> {
  const r = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 500,
  });
  r.on('error', () => {});
  try {
    await r.connect();
    return await fn(r);
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const answers = (port: number) => withNode(port, async (r) => (await r.ping()) === 'PONG');
const clusterOk = (port: number) => withNode(port, async (r) => String(await r.cluster('INFO')).includes('cluster_state:ok'));

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number, detail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function logOf(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'redis.log'), 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    return '(no redis.log)';
  }
}

function redisCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', () => reject(new Error(INSTALL)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}
