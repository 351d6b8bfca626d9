import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushPrefix } from '../support/meridian-harness.js';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process.js';
import { testQueuePrefix } from '../support/test-database.js';

/** The sandbox's own endpoints, as its page uses them; no browser. */
let sandbox: SandboxProcess;
const MEI = 'U0LEAD0001';
const LENA = 'U0LEGAL001'; // legal: not on call, not a lead, not invited to child-safety incidents
const PEOPLE = [MEI, 'U0SGA0001', 'U0DUA0001', 'U0LAA0001', LENA, 'U0ADMIN001'];
const TITLE = 'Grooming ring moving to DMs';
const WAIT = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  sandbox = await startSandboxProcess(import.meta.url);
}, 90_000);
afterAll(async () => {
  await sandbox?.close();
  await flushPrefix(testQueuePrefix(import.meta.url));
});

interface Fragments {
  sidebar: string;
  main: string;
  clock: string;
  modal: string;
}
// One page session, open since the start: the replies only Mei sees stay in it (a reload would drop them).
const fragments = async (as: string, at: string): Promise<Fragments> =>
  (await fetch(`${sandbox.url}/sandbox/fragments?as=${as}&at=${encodeURIComponent(at)}&since=0`)).json() as Promise<Fragments>;
const post = async (path: string, body: Record<string, unknown>) => {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
};
/** The page messages (a message with an Acknowledge button) in this person's DM with Meridian. */
const pagesFor = async (as: string): Promise<number> => {
  const dm = /href="\/\?as=[^"&]+&amp;at=(D[^"&]+)"[^>]*>Meridian<\/a>/.exec((await fragments(as, 'home')).sidebar)?.[1];
  if (!dm) return 0;
  return (await fragments(as, dm)).main.split('>Acknowledge<').length - 1;
};
const allPages = async () => Object.fromEntries(await Promise.all(PEOPLE.map(async (p) => [p, await pagesFor(p)] as const)));
const total = (pages: Record<string, number>) => Object.values(pages).reduce((a, b) => a + b, 0);

describe('the sandbox over HTTP', () => {
  it('when Mei declares a private incident, Lena does not see it; Run due now fires the next escalation step, a page DM appears', async () => {
    const general = /data-at="([^"]+)"/.exec(await (await fetch(`${sandbox.url}/?as=${MEI}`)).text())![1]!;
    await post('/sandbox/message', { as: MEI, at: general, text: `/incident declare ${TITLE}` });
    let viewId: string | undefined;
    await expect
      .poll(async () => {
        viewId = /data-view-id="([^"]+)"/.exec((await fragments(MEI, general)).modal)?.[1];
        return viewId;
      }, WAIT)
      .toBeDefined();
    await post('/sandbox/view/submit', {
      as: MEI,
      at: general,
      viewId,
      values: {
        'title/value': [TITLE],
        'severity/value': ['sev1'],
        'category/value': ['child-safety'],
        'summary/value': ['Accounts moving minors to DMs.'],
        'private/value': ['private'],
      },
    });

    // Mei sees the private channel and the card in it.
    let channel: { id: string; name: string } | undefined;
    await expect
      .poll(async () => {
        const m = /href="\/\?as=[^"&]+&amp;at=([^"&]+)"[^>]*>(#inc-[^<]+)<\/a>/.exec((await fragments(MEI, general)).sidebar);
        channel = m ? { id: m[1]!, name: m[2]! } : undefined;
        return channel;
      }, WAIT)
      .toBeDefined();
    await expect.poll(async () => (await fragments(MEI, channel!.id)).main, WAIT).toContain(TITLE);

    // Lena, not a member, asking for that channel by id: no channel in her sidebar, none of its messages.
    const lenasPage = await (await fetch(`${sandbox.url}/?as=${LENA}&at=${channel!.id}`)).text();
    expect(lenasPage).toContain(`data-at="${general}"`);
    expect(lenasPage).not.toContain(channel!.name);
    expect(lenasPage).not.toContain(TITLE);
    const lenas = await fragments(LENA, channel!.id);
    expect(lenas.sidebar).not.toContain(channel!.name);
    expect(lenas.main).not.toContain(TITLE);

    // The first step paged whoever is on call; the next step is scheduled, minutes away.
    await expect.poll(async () => total(await allPages()), WAIT).toBeGreaterThan(0);
    await expect.poll(async () => (await fragments(MEI, general)).clock, WAIT).toContain('Next: <strong>');
    const before = await allPages();

    // Run due now fires the soonest planned action; at some hours of the day other planned work
    // (a coverage-end offer, a handoff notice) comes before the next escalation step, so press it
    // until the step has run.
    await expect
      .poll(async () => {
        await post('/sandbox/run-due', { as: MEI, at: general });
        return (await fragments(MEI, general)).main;
      }, WAIT)
      .toContain('Ran the next scheduled action now: escalation-step');
    await expect.poll(async () => total(await allPages()), WAIT).toBeGreaterThan(total(before));
    const after = await allPages();
    const newlyPaged = PEOPLE.filter((p) => (after[p] ?? 0) > (before[p] ?? 0));
    expect(newlyPaged.length).toBeGreaterThan(0);
    expect(newlyPaged).not.toContain(LENA);
  }, 120_000);
});
