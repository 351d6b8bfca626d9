import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENT_VARIABLES, sandboxRefusal } from '../../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
interface Service {
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
/** What each role's container receives, as compose would interpolate it from this .env. */
const interpolate = (value: string, env: Record<string, string>) =>
  value.replace(/\$\{(\w+)(:?-)?([^}]*)\}/g, (_, name: string, op: string | undefined, fallback: string) => {
    const set = env[name];
    if (op === ':-') return set ? set : fallback;
    if (op === '-') return set ?? fallback;
    return set ?? '';
  });

describe('docker-compose.yml', () => {
  // Set by compose itself per role, or meaningless in a container (the image's own files).
  const perRole = new Set(['PORT', 'DATA_DIR', 'SANDBOX']);

  it.each(['bot', 'worker'])('when the %s container starts, then every variable of .env reaches it', (role) => {
    const environment = compose.services[role]?.environment ?? {};
    const missing = ENVIRONMENT_VARIABLES.filter((name) => !perRole.has(name) && !(name in environment));
    expect(missing).toEqual([]);
    expect(environment['PORT']).toBeDefined();
  });

  it('when .env names a Redis Cluster and empties REDIS_URL, then the containers get the nodes and no REDIS_URL; by default, the redis service', () => {
    const environment = compose.services['bot']?.environment ?? {};
    const cluster = { REDIS_URL: '', REDIS_CLUSTER_NODES: '10.0.0.1:6379,10.0.0.2:6379', REDIS_PASSWORD: 'pw' };
    expect(interpolate(environment['REDIS_URL'] ?? '', cluster)).toBe('');
    expect(interpolate(environment['REDIS_CLUSTER_NODES'] ?? '', cluster)).toBe('10.0.0.1:6379,10.0.0.2:6379');
    expect(interpolate(environment['REDIS_URL'] ?? '', {})).toBe('redis://redis:6379');
    expect(interpolate(environment['QUEUE_PREFIX'] ?? '', { QUEUE_PREFIX: '{tns}' })).toBe('{tns}');
    expect(interpolate(environment['JOB_LOCK_MS'] ?? '', { JOB_LOCK_MS: '20000' })).toBe('20000');
  });

  it.each(['bot', 'worker'])(
    'when MERIDIAN_CONFIG names a file under /etc/meridian, then the %s container has that directory mounted',
    (role) => {
      const volumes = (compose.services[role]?.volumes ?? []).map((v) => interpolate(v, {}));
      expect(volumes).toContain('./config:/etc/meridian:ro');
    },
  );

  it('when the image starts with the Slack secrets unset, then the sandbox is refused (NODE_ENV=production and DATABASE_URL), and compose never asks for it', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/NODE_ENV=production/);
    const environment = compose.services['bot']?.environment ?? {};
    const inContainer = Object.fromEntries(
      Object.entries(environment).map(([k, v]) => [k, interpolate(String(v), { POSTGRES_PASSWORD: 'pw' })]),
    );
    expect(inContainer['SANDBOX']).toBeUndefined();
    expect(sandboxRefusal({ ...inContainer, NODE_ENV: 'production' })).toContain('NODE_ENV=production and DATABASE_URL is set');
  });
});
