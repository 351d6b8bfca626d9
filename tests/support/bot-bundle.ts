import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Inside node_modules, so the bundle's bare imports (bullmq, postgres, ...) resolve to the repository's packages. */
const BUNDLE_DIR = path.join(REPO_ROOT, 'node_modules/.cache/meridian-test-bot');
/** The environment variable the global setup sets, read by spawnBot in the test workers. */
export const BOT_BUNDLE_ENV = 'MERIDIAN_TEST_BOT_BUNDLE';

/**
 * src/ keeps files beside its modules (the migrations two folders up, the sandbox page's assets):
 * each module's `import.meta.url` becomes its own source file's URL, so the bundle finds them
 * wherever it lives.
 */
const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

/**
 * src/main.ts built once into one ES module (dependencies left as imports), for the child bots a
 * run spawns: `node bundle.mjs` starts in a fraction of `node --import tsx src/main.ts`, which
 * transpiles every module again in each child. Named after the building process, so two runs
 * (two checkouts sharing node_modules, a bench beside a test run) never share one.
 */
export async function buildBotBundle(): Promise<{ file: string; remove(): void }> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  // Random as well: the `default` and `cluster` projects' global setups run in one process.
  const file = path.join(BUNDLE_DIR, `main-${process.pid}-${randomBytes(3).toString('hex')}.mjs`);
  await build({
    entryPoints: [path.join(REPO_ROOT, 'src/main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'error',
    plugins: [sourceUrls],
  });
  return { file, remove: () => rmSync(file, { force: true }) };
}

/** The bundle the global setup built for this run, if any (a bench outside vitest has none: it runs through tsx). */
export function builtBotBundle(): string | undefined {
  const file = process.env[BOT_BUNDLE_ENV];
  return file && existsSync(file) ? file : undefined;
}
