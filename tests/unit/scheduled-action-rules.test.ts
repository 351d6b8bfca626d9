import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []))),
  );
  return nested.flat();
}

/** A function that takes an action's context and returns its outcome: a handler (an interface's method signature is not one). */
const HANDLER = /ActionContext<[^>]+>,?\s*\)\s*:\s*Promise<ActionOutcome>\s*\{/;

/** The files of its own feature folder that a file imports values from (`./x.js`), the helpers its handler runs. */
async function sameFolderImports(file: string, text: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const [, path] of text.matchAll(/^import (?!type )[^;]*? from '(\.\/[^']+)\.js';$/gms)) {
    const helper = join(dirname(file), `${path}.ts`);
    found.set(relative(repo, helper), await readFile(helper, 'utf8'));
  }
  return found;
}

/**
 * A scheduled action's handler file: one that defines a handler, the files of its feature folder
 * it runs (announce-pages.ts for an escalation step), the handler table
 * (`src/services/action-handlers.ts`), and every file the table imports a handler from.
 */
async function handlerFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of await tsFiles(join(repo, 'src/services'))) {
    const text = await readFile(file, 'utf8');
    if (!HANDLER.test(text)) continue;
    files.set(relative(repo, file), text);
    for (const [helper, helperText] of await sameFolderImports(file, text)) files.set(helper, helperText);
  }
  const table = await readFile(join(repo, 'src/services/action-handlers.ts'), 'utf8');
  files.set('src/services/action-handlers.ts', table);
  for (const [, path] of table.matchAll(/^import \{[^}]*\} from '(\.\/[^']+)\.js';$/gm)) {
    const file = join(repo, 'src/services', `${path}.ts`);
    files.set(relative(repo, file), await readFile(file, 'utf8'));
  }
  return files;
}

describe('the rules every scheduled action follows (DESIGN.md, "One definition per action kind")', () => {
  it('when a handler file is read, then it never calls postMessage: a job posts through deliver (postOnce), so a retry sends nothing twice', async () => {
    const files = await handlerFiles();
    // One per kind at least, give or take the files that hold two (wellbeing) and the table.
    expect(files.size).toBeGreaterThanOrEqual(12);
    const offenders = [...files].filter(([, text]) => /\.postMessage\s*\(/.test(text)).map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('when a handler file is read, then it decides no "may it exist already?" of its own: it posts with ctx.deliver, which run-action decides once for the run (issue 18)', async () => {
    const files = await handlerFiles();
    const offenders = [...files].filter(([, text]) => /\.postOnce\s*\(|mayExist\s*[:=]/.test(text)).map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it("when a handler file is read, then it reads no row's raw data: only the data the catalog's schema parsed (ctx.data)", async () => {
    const offenders = [...(await handlerFiles())].filter(([, text]) => /\b(row|action)\.data\b/.test(text)).map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('when src/services and src/jobs are read, then no value is forced through `as unknown as`', async () => {
    const files = [...(await tsFiles(join(repo, 'src/services'))), ...(await tsFiles(join(repo, 'src/jobs')))];
    const offenders: string[] = [];
    for (const file of files) if ((await readFile(file, 'utf8')).includes('as unknown as')) offenders.push(relative(repo, file));
    expect(offenders).toEqual([]);
  });
});
