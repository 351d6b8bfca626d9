import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, cp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const depcruise = join(repo, 'node_modules/.bin/depcruise');
const config = join(repo, '.dependency-cruiser.cjs');

/** Runs the project's layer rules (the same command as `npm run lint:layers`) over a tree. */
async function layerCheck(cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(depcruise, ['src', '--config', config, '--output-type', 'err'], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the layer rules that npm run lint checks', () => {
  let tree: string;
  beforeAll(async () => {
    tree = await mkdtemp(join(tmpdir(), 'meridian-layers-'));
    await cp(join(repo, 'tests/fixtures/layer-probe'), tree, { recursive: true });
  });
  afterAll(async () => {
    await rm(tree, { recursive: true, force: true });
  });

  it('when a renderer imports only the domain, then the check passes', async () => {
    const result = await layerCheck(tree);
    expect(result.output).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  });

  it('when a file in src/blocks imports from src/services, then the check fails naming the rule and the files', async () => {
    await copyFile(join(tree, 'src/blocks/card-from-service.ts.probe'), join(tree, 'src/blocks/card-from-service.ts'));
    const result = await layerCheck(tree);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('blocks-render-domain-only');
    expect(result.output).toContain('src/blocks/card-from-service.ts → src/services/card-data.ts');
  });

  it('the real tree passes the same check', async () => {
    const result = await layerCheck(repo);
    expect(result.output).toContain('no dependency violations found');
  }, 60_000);
});
