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

describe("the sandbox's phones and mailboxes over HTTP", () => {
  const RESPONDERS = ['U0SGA0001', 'U0DUA0001', 'U0LAA0001'];
  const PAGE_TITLE = 'Scam ads wave through the ad network';
  const phone = async (as: string) => (await fragments(as, 'phone')).main;
  const mail = async (as: string) => (await fragments(as, 'mail')).main;

  it('when a SEV1 pages a responder, then their phone shows the text, the call and its words, their mailbox the email; the link, a reply and a key each reach the bot through the signed webhooks', async () => {
    const general = /data-at="([^"]+)"/.exec(await (await fetch(`${sandbox.url}/?as=${MEI}`)).text())![1]!;
    const sidebar = (await fragments(MEI, general)).sidebar;
    expect(sidebar).toContain('📱 Phone');
    expect(sidebar).toContain('✉️ Mail');
    await post('/sandbox/message', { as: MEI, at: general, text: `/incident declare ${PAGE_TITLE}` });
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
        'title/value': [PAGE_TITLE],
        'severity/value': ['sev1'],
        'category/value': ['harmful-trend'],
        'summary/value': ['Scam ads.'],
      },
    });

    // The person on call now gets the text when its minute comes: Run due now brings it.
    let paged: string | undefined;
    await expect
      .poll(async () => {
        await post('/sandbox/run-due', { as: MEI, at: general });
        for (const p of RESPONDERS) if ((await phone(p)).includes(PAGE_TITLE)) paged = p;
        return paged;
      }, WAIT)
      .toBeDefined();
    const text = await phone(paged!);
    const code = new RegExp(`INC-(\\d+) SEV1 Critical ${PAGE_TITLE}\\. Reply (\\d+)a`).exec(text);
    expect(code).not.toBeNull();
    const [, number, reply] = code!;
    expect(text).toContain(`data-sms="${reply}a"`);
    // Nobody else's phone shows it.
    for (const p of PEOPLE.filter((p) => p !== paged)) expect(await phone(p)).not.toContain(PAGE_TITLE);

    // The call, with what it says and its keypad; then the email with its link.
    await expect
      .poll(async () => {
        await post('/sandbox/run-due', { as: MEI, at: general });
        return phone(paged!);
      }, WAIT)
      .toContain(`Meridian page for incident ${number}, SEV1 Critical. Press 4 to acknowledge. Press 5 to escalate.`);
    const callArticle = (await phone(paged!)).split('<article').find((a) => a.includes(`incident ${number},`));
    const callSid = /data-call="(CA[0-9a-f]{32})" data-digits="4"/.exec(callArticle ?? '')?.[1];
    expect(callSid).toBeDefined();
    let link: string | undefined;
    await expect
      .poll(async () => {
        await post('/sandbox/run-due', { as: MEI, at: general });
        const box = await mail(paged!);
        link = box.includes(PAGE_TITLE) ? /href="(http:\/\/[^"]+\/ack\/[^"]+)"/.exec(box)?.[1] : undefined;
        return link;
      }, WAIT)
      .toBeDefined();
    expect(await mail(MEI)).not.toContain(PAGE_TITLE);

    // The email's link, opened as a mail reader would: through the page's address, to the bot.
    const opened = await fetch(link!);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain(`You acknowledged INC-${number}`);
    // A text back and a key pressed go through the signed webhooks: the bot answers each.
    await post('/sandbox/sms', { as: paged, at: 'phone', text: `${reply}a` });
    await expect.poll(() => phone(paged!), WAIT).toContain('Already acknowledged');
    await post('/sandbox/keypress', { as: paged, at: 'phone', callSid, digits: '4' });
    await expect.poll(() => phone(paged!), WAIT).toContain('You pressed <kbd>4</kbd>. Meridian said: ');
    expect(await phone(paged!)).not.toContain('HTTP 403');
    // Someone else pressing a key on that call: not their phone, nothing is sent.
    const before = (await phone(paged!)).split('You pressed').length;
    await post('/sandbox/keypress', { as: MEI, at: 'phone', callSid, digits: '5' });
    expect((await phone(paged!)).split('You pressed').length).toBe(before);
    const bad = await fetch(`${sandbox.url}/sandbox/keypress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: paged, at: 'phone', callSid, digits: '42' }),
    });
    expect(bad.status).toBe(400);
  }, 120_000);
});
