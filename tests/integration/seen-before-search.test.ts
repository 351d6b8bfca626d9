/**
 * "Seen before" on the databases Meridian runs on: trigram similarity (pg_trgm) and full-text
 * search over transliterated text. Real Postgres always; embedded PGlite (its pg_trgm extension)
 * with SEEN_BEFORE_PGLITE=1, since migrating a PGlite costs seconds of CPU (the embedded e2e file
 * runs seen before on PGlite end to end in CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { insertIncidentOnce } from '../../src/db/repos/incidents.js';
import { findSeenBefore, refreshSearchText } from '../../src/services/similar/index.js';
import { comparableText } from '../../src/domain/similar-incidents.js';
import { createTestDatabase } from '../support/test-database.js';

const WITH_PGLITE = process.env.SEEN_BEFORE_PGLITE === '1';
const T0 = new Date('2026-03-01T08:00:00Z');
let n = 0;

async function seed(db: DatabaseHandle['db'], title: string, summary = '', daysAgo = 30) {
  n += 1;
  const at = new Date(T0.getTime() - daysAgo * 86_400_000);
  const { incident } = await insertIncidentOnce(db, {
    teamId: 'T0TEST',
    idempotencyKey: `seed-${n}`,
    title,
    summary,
    severity: 'sev2',
    declaredSeverity: 'sev2',
    peakSeverity: 'sev2',
    category: 'harmful-trend',
    isPrivate: false,
    declaredBy: 'U0SEED0001',
    commanderId: 'U0SEED0001',
    declaredAt: at,
  });
  await refreshSearchText(db, incident, at);
  return incident;
}

async function titlesLike(db: DatabaseHandle['db'], text: string) {
  const plain = comparableText(text);
  const found = await findSeenBefore(db, { teamId: 'T0TEST', excludeId: null, before: T0, title: plain, body: plain }, 3);
  return found.map((f) => f.incident.title);
}

const dirs: string[] = [];
const handles: Array<{ name: string; handle: DatabaseHandle; done: () => Promise<void> }> = [];

beforeAll(async () => {
  const pg = await createTestDatabase(import.meta.url);
  handles.push({ name: 'postgres', handle: pg, done: () => pg.drop() });
  if (WITH_PGLITE) {
    const dir = mkdtempSync(path.join(tmpdir(), 'meridian-seen-before-'));
    dirs.push(dir);
    const lite = await openDatabase({ dataDir: dir });
    await lite.migrate();
    handles.push({ name: 'pglite', handle: lite, done: () => lite.close() });
  }
  for (const { handle } of handles) {
    await seed(handle.db, 'Blackout challenge', 'Teens in ID filming the #blackoutchallenge on short video', 60);
    await seed(handle.db, 'Regulator order from BNetzA', 'Removal order for two accounts');
    await seed(handle.db, 'Skibidi prank trend', 'Prank videos in PH schools');
  }
}, 60_000);

afterAll(async () => {
  for (const h of handles) await h.done();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(WITH_PGLITE ? ['postgres', 'pglite'] : ['postgres'])('seen before on %s', (name) => {
  const db = () => handles.find((h) => h.name === name)!.handle.db;

  it('when a trend comes back in another market or script, then the earlier incident is found and unrelated ones are not', async () => {
    expect(await titlesLike(db(), 'Blackout challenge resurging in TR')).toEqual(['Blackout challenge']);
    // Typed in Cyrillic: transliterated before it is compared.
    expect(await titlesLike(db(), 'Скибиди пранк в Турции')).toEqual(['Skibidi prank trend']);
    // A hashtag alone, in a sentence of another language.
    expect(await titlesLike(db(), 'Подростки повторяют #blackoutchallenge')).toEqual(['Blackout challenge']);
    expect(await titlesLike(db(), 'Payment fraud ring')).toEqual([]);
  });
});
