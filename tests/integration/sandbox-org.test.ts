import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushPrefix } from '../support/meridian-harness.js';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process.js';
import { testQueuePrefix } from '../support/test-database.js';

/** `SANDBOX_ORG=1`: the sandbox as a two-workspace Enterprise Grid org, over its own HTTP endpoints, no browser. */
let sandbox: SandboxProcess;
const MEI = 'U0LEAD0001'; // APAC
const SAM = 'U0ADMIN001'; // EMEA, in the leads group every SEV1 invites
const TITLE = 'Coordinated scam wave across regions';
const WAIT = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  sandbox = await startSandboxProcess(import.meta.url, { SANDBOX_ORG: '1' });
}, 90_000);
afterAll(async () => {
  await sandbox?.close();
  await flushPrefix(testQueuePrefix(import.meta.url));
});

interface Fragments {
  sidebar: string;
  main: string;
  modal: string;
}
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

describe('the sandbox as an Enterprise Grid org (SANDBOX_ORG=1)', () => {
  it('when it starts, then Meridian is installed org-wide through OAuth and the page says which workspace each person is in', async () => {
    expect(sandbox.bot.output()).toContain('Slack org-wide install stored');
    const page = await (await fetch(`${sandbox.url}/?as=${MEI}`)).text();
    expect(page).toContain('Mei Tan (Incident manager, Singapore, APAC workspace)');
    expect(page).toContain('Sam Okafor (Meridian admin, EMEA workspace)');
  });

  it('when Mei declares a SEV1 in APAC, then Sam in EMEA, invited with the leads, has the incident channel (shared to EMEA) with its card', async () => {
    const general = /data-at="([^"]+)"/.exec(await (await fetch(`${sandbox.url}/?as=${MEI}`)).text())?.[1] ?? '';
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
        'category/value': ['harmful-trend'],
        'summary/value': ['Scam accounts in several regions at once.'],
      },
    });
    const channelIn = async (as: string) =>
      /href="\/\?as=[^"&]+&amp;at=([^"&]+)"[^>]*>#inc-[^<]+<\/a>/.exec((await fragments(as, general)).sidebar)?.[1];
    await expect.poll(() => channelIn(MEI), WAIT).toBeDefined();
    // Sam is of the other workspace: the fake lets him in only once the channel is shared to EMEA.
    await expect.poll(() => channelIn(SAM), WAIT).toBeDefined();
    const channel = (await channelIn(SAM)) ?? '';
    await expect.poll(async () => (await fragments(SAM, channel)).main, WAIT).toContain(TITLE);
    // A member (the message box, not *Join channel*): the invitation went through, the share first.
    await expect
      .poll(async () => (await fetch(`${sandbox.url}/?as=${SAM}&at=${channel}`)).text(), WAIT)
      .toContain('<textarea name="text" aria-label="Message"');
  }, 90_000);
});
