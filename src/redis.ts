import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './log.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** One server or a Redis Cluster: BullMQ, the reconciler and the limits take either. */
export type RedisConnection = Redis | Cluster;

/** A cluster's seed nodes (ioredis finds the rest), and the password every node asks for. */
export interface RedisClusterSettings {
  nodes: ReadonlyArray<{ host: string; port: number }>;
  password?: string;
}

/** How a connection behaves when Redis is away (see workerConnection and producerConnection). */
type Role = 'worker' | 'producer';

export interface RedisEndpoint {
  describe: string;
  /** A new connection for `role`, to one server or to the cluster. */
  connect(role: Role): RedisConnection;
  /** Stops the private server, if we started one. */
  stop(): Promise<void>;
}

/** Workers block on Redis and must never give up a command (BullMQ requires this). */
export function workerConnection(endpoint: RedisEndpoint): RedisConnection {
  return endpoint.connect('worker');
}

/** Producers fail fast: a declaration must not hang because Redis is away; the reconciler catches up. */
export function producerConnection(endpoint: RedisEndpoint): RedisConnection {
  return endpoint.connect('producer');
}

const maxRetriesPerRequest = (role: Role) => (role === 'worker' ? null : 1);

function serverEndpoint(options: RedisOptions, describe: string, stop: () => Promise<void> = async () => {}): RedisEndpoint {
  return {
    describe,
    connect: (role) =>
      new Redis({
        ...options,
        maxRetriesPerRequest: maxRetriesPerRequest(role),
        ...(role === 'producer' ? { enableOfflineQueue: false } : {}),
      }),
    stop,
  };
}

/**
 * Every key Meridian writes carries the hash-tagged QUEUE_PREFIX, so each command, pipeline and
 * script stays in one slot; BullMQ reads the per-node options (maxRetriesPerRequest) from
 * `redisOptions`, where ioredis's Cluster keeps them.
 */
function clusterEndpoint(cluster: RedisClusterSettings): RedisEndpoint {
  const nodes = cluster.nodes.map(({ host, port }) => ({ host, port }));
  return {
    describe: `cluster ${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`,
    connect: (role) =>
      new Cluster(nodes, {
        enableOfflineQueue: role === 'worker',
        redisOptions: { password: cluster.password, maxRetriesPerRequest: maxRetriesPerRequest(role) },
      }),
    stop: async () => {},
  };
}

function optionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

async function answers(options: RedisOptions): Promise<boolean> {
  const probe = new Redis({ ...options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * The cluster (REDIS_CLUSTER_NODES) or REDIS_URL when set; else the default local port if something answers there; else a private
 * redis-server on a Unix socket under DATA_DIR, with an append-only file so jobs survive restarts.
 */
export async function resolveRedis(opts: {
  url?: string;
  cluster?: RedisClusterSettings;
  dataDir: string;
  logger: Logger;
}): Promise<RedisEndpoint> {
  if (opts.cluster) return clusterEndpoint(opts.cluster);
  if (opts.url) return serverEndpoint(optionsFromUrl(opts.url), opts.url.replace(/:[^:@/]*@/, ':***@'));
  const local = optionsFromUrl(DEFAULT_REDIS_URL);
  if (await answers(local)) return serverEndpoint(local, DEFAULT_REDIS_URL);
  return startPrivateRedis(path.resolve(opts.dataDir, 'redis'), opts.logger);
}

async function startPrivateRedis(dir: string, logger: Logger): Promise<RedisEndpoint> {
  mkdirSync(dir, { recursive: true });
  const socket = path.join(dir, 'redis.sock');
  const args = ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir];
  args.push('--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', '');
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) =>
    child.once('error', () => reject(new Error('No Redis found: install redis-server (apt-get install redis-server) or set REDIS_URL.'))),
  );
  const options: RedisOptions = { path: socket };
  const ready = (async () => {
    for (let i = 0; i < 50; i++) {
      if (await answers(options)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`redis-server did not start on ${socket}; see its log or set REDIS_URL.`);
  })();
  await Promise.race([ready, failed]);
  logger.info({ socket }, 'started a private redis-server');
  return serverEndpoint(options, `unix:${socket}`, async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
}
