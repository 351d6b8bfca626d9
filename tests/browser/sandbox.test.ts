import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushPrefix } from '../support/meridian-harness.js';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process.js';
import { testQueuePrefix } from '../support/test-database.js';

/** Debian's chromium (`.ci/run` installs it); playwright-core drives it and downloads nothing. */
const CHROMIUM = '/usr/bin/chromium';
const IMAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/images');
const RESPONDERS = ['U0SGA0001', 'U0DUA0001', 'U0LAA0001'];
/** `UPDATE_SCREENSHOTS=1` rewrites docs/images/*.png; otherwise a run leaves the tree as it was. */
const UPDATE_SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';
/** CI runs this on 2 cores beside the other suites: every wait is generous (none is a sleep). */
const WAIT = 30_000;

let sandbox: SandboxProcess;
let browser: Browser;
let page: Page;
/** The review file of the first test's private incident, for the file-access check. */
let reviewHref: string | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (bash .ci/run does)`);
  sandbox = await startSandboxProcess(import.meta.url);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  page.setDefaultTimeout(WAIT);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  await flushPrefix(testQueuePrefix(import.meta.url));
});

const shot = async (name: string) => {
  if (UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(IMAGES, `${name}.png`) });
};
/** Waits until the page's live updates are connected, so no change after this is missed. */
const live = () => page.locator('body[data-live="open"]').waitFor({ state: 'attached' });
const actAs = async (userId: string) => {
  await page.getByLabel('Acting as').selectOption(userId);
  await page.waitForURL(new RegExp(`as=${userId}`));
  await live();
};
/** Follows a sidebar link and waits for that page, so no locator resolves on the one before. */
const open = async (link: Locator) => {
  const target = new URL((await link.getAttribute('href'))!, page.url()).href;
  await link.click();
  await page.waitForURL((url) => url.href === target);
  await live();
};
const sidebar = () => page.getByRole('navigation', { name: 'Conversations' });
const composer = () => page.getByRole('textbox', { name: 'Message' });
const say = async (text: string) => {
  await composer().fill(text);
  await composer().press('Enter');
};

describe('the sandbox in a real browser', () => {
  it('when Mei declares through the modal, the paged responder acknowledges, an update is posted and the incident resolved, each sees it as Slack would show them', async () => {
    await page.goto(`${sandbox.url}/?as=U0LEAD0001`);
    await live();
    await expect.poll(() => page.getByRole('link', { name: '#general' }).count(), { timeout: WAIT }).toBe(1);
    await shot('sandbox-general');

    // Declare: the modal, a missing field refused inline, then the real thing.
    await say('/incident declare Self-harm challenge trending on short video');
    const declare = page.getByRole('dialog', { name: 'Declare an incident' });
    await declare.waitFor();
    await expect
      .poll(() => declare.getByLabel('Title').inputValue(), { timeout: WAIT })
      .toBe('Self-harm challenge trending on short video');
    await declare.getByRole('button', { name: 'Declare' }).click();
    await declare.getByText('Please complete this required field.').waitFor();
    await declare.getByLabel('Category').selectOption('harmful-trend');
    await declare.getByLabel('Summary').fill('A *challenge* spreading fast in SG and IE; <!channel> should not ping.');
    await shot('sandbox-declare-modal');
    await declare.getByRole('button', { name: 'Declare' }).click();
    await declare.waitFor({ state: 'detached' });

    // The channel appears in the sidebar as the bot creates it; the card is in it, pinned.
    const channelLink = sidebar().getByRole('link', { name: /^#inc-\d+-self-harm-challenge/ });
    await channelLink.waitFor();
    await open(channelLink);
    await page.getByText('Pinned').first().waitFor();
    const card = page.locator('article.msg', { has: page.getByRole('button', { name: 'Acknowledge' }) }).first();
    await card.waitFor();
    await shot('sandbox-incident-channel');

    // Whoever is on call now (it depends on the hour: follow the sun) got a DM with the page.
    let paged: string | undefined;
    await expect
      .poll(
        async () => {
          for (const id of RESPONDERS) {
            const res = await fetch(`${sandbox.url}/sandbox/fragments?as=${id}&at=home`);
            const f = (await res.json()) as { sidebar: string };
            if (f.sidebar.includes('>Meridian</a>')) paged = id;
          }
          return paged;
        },
        { timeout: WAIT },
      )
      .toBeDefined();
    await actAs(paged!);
    await open(sidebar().getByRole('link', { name: 'Meridian', exact: true }));
    const pageMessage = page.locator('article.msg', { has: page.getByRole('button', { name: 'Acknowledge' }) }).last();
    await pageMessage.waitFor();
    await shot('sandbox-page-dm');
    await pageMessage.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.locator('article.msg .edited').count(), { timeout: WAIT }).toBeGreaterThan(0);

    // Back in the channel as Mei: the card changed (acknowledged), an update, then resolve.
    await actAs('U0LEAD0001');
    await open(sidebar().getByRole('link', { name: /^#inc-\d+-self-harm-challenge/ }));
    await expect.poll(() => page.locator('article.msg', { hasText: /acknowledged/i }).count(), { timeout: WAIT }).toBeGreaterThan(0);
    await say('/incident update');
    const update = page.getByRole('dialog', { name: /update/i });
    await update.waitFor();
    await update.getByLabel('What we know').fill('Takedowns running in APAC; EMEA picking up at 09:00.');
    await update.getByLabel('What we are doing').fill('Blocking the hashtags; _Legal_ reviewing the reports.');
    await update.getByRole('button', { name: 'Post' }).click();
    await update.waitFor({ state: 'detached' });
    await page.getByText('Takedowns running in APAC').first().waitFor();

    await say('/incident resolve');
    const resolve = page.getByRole('dialog', { name: /resolve/i });
    await resolve.waitFor();
    await shot('sandbox-resolve-modal');
    const firstText = resolve.getByRole('textbox').first();
    if (await firstText.count()) await firstText.fill('Trend contained; hashtags blocked.');
    await resolve.getByRole('button', { name: /resolve/i }).click();
    await resolve.waitFor({ state: 'detached' });

    // The review is the channel's canvas: its tab is in the channel header, and it opens.
    const review = page.getByRole('link', { name: /post-incident review/i }).first();
    await review.waitFor();
    await shot('sandbox-resolved-review');
    const href = await review.getAttribute('href');
    reviewHref = href ?? undefined;
    const text = await (await fetch(`${sandbox.url}${href}`)).text();
    expect(text).toContain('Self-harm challenge trending');
  }, 180_000);

  it('when people use it as they would Slack, then @ autocompletes, channels are joined before typing, ephemerals leave on reload, files stay with members and the message menu has the shortcut', async () => {
    // @ lists people; picking one writes @name, which reaches the bot as a mention.
    await page.goto(`${sandbox.url}/?as=U0LEAD0001`);
    await live();
    await open(sidebar().getByRole('link', { name: '#general' }));
    await composer().fill('/incident declare Copycat challenge flagged by @le');
    const people = page.getByRole('listbox', { name: 'People' });
    await people.getByRole('option', { name: /Lena Fischer/ }).waitFor();
    await composer().press('Enter');
    await expect.poll(() => composer().inputValue(), { timeout: WAIT }).toBe('/incident declare Copycat challenge flagged by @lena ');
    await composer().press('Enter');
    const declare = page.getByRole('dialog', { name: 'Declare an incident' });
    await declare.waitFor();
    await expect.poll(() => declare.getByLabel('Title').inputValue(), { timeout: WAIT }).toBe('Copycat challenge flagged by @lena');
    await declare.getByLabel('Category').selectOption('harmful-trend');
    await declare.getByLabel('Summary').fill('Copies of the challenge under new hashtags.');
    const sev3 = declare.getByLabel(/SEV3/);
    if (await sev3.count()) await sev3.check();
    await declare.getByRole('button', { name: 'Declare' }).click();
    await declare.waitFor({ state: 'detached' });
    await sidebar()
      .getByRole('link', { name: /^#inc-\d+-copycat-challenge/ })
      .waitFor();

    // Lena is not in it: it is not in her sidebar but under Browse channels, shown with Join and no message box.
    await actAs('U0LEGAL001');
    const joinable = sidebar().getByRole('list', { name: 'Channels you can join' });
    await joinable.getByRole('link', { name: /^#inc-\d+-copycat-challenge/ }).waitFor();
    // Listed once: under Browse, not among her channels.
    expect(
      await sidebar()
        .getByRole('link', { name: /^#inc-\d+-copycat-challenge/ })
        .count(),
    ).toBe(1);
    await open(joinable.getByRole('link', { name: /^#inc-\d+-copycat-challenge/ }));
    await page.getByRole('button', { name: 'Join channel' }).waitFor();
    expect(await composer().count()).toBe(0);
    await page.getByRole('button', { name: 'Join channel' }).click();
    await composer().waitFor();
    await live();

    // An ephemeral is seen, and gone after a reload, as in Slack.
    await say('/incident help');
    const ephemeral = page.locator('article.ephemeral');
    await ephemeral.first().waitFor();
    await page.reload();
    await live();
    await page.locator('.messages').waitFor();
    expect(await page.locator('article.ephemeral').count()).toBe(0);

    // The message menu offers the app's message shortcut; it opens the declare form from the message.
    await open(sidebar().getByRole('link', { name: '#general' }));
    const welcome = page.locator('article.msg', { hasText: 'Welcome to the Meridian sandbox' }).first();
    // The page redraws as the bot's calls arrive (a declaration above may still be setting up), which closes an open
    // menu as Slack's would on a re-render: open it again until the click lands.
    for (let attempt = 1; ; attempt++) {
      await welcome.getByRole('button', { name: 'More actions' }).or(welcome.getByLabel('More actions')).first().click();
      const clicked = await welcome
        .getByRole('menuitem', { name: 'Declare incident' })
        .click({ timeout: 5_000 })
        .then(() => true)
        .catch((err: unknown) => {
          if (attempt >= 5) throw err;
          return false;
        });
      if (clicked) break;
    }
    const fromMessage = page.getByRole('dialog', { name: 'Declare an incident' });
    await fromMessage.waitFor();
    await expect.poll(() => fromMessage.getByLabel('Summary').inputValue(), { timeout: WAIT }).toContain('Welcome to the Meridian sandbox');
    await fromMessage.getByRole('button', { name: 'Cancel' }).click();
    await fromMessage.waitFor({ state: 'detached' });

    // A private channel's canvas is served to its members only.
    expect(reviewHref).toBeDefined();
    const file = (as: string) => fetch(`${sandbox.url}${reviewHref!.replace(/\?as=[^&]*/, '')}?as=${as}`);
    expect((await file('U0LEAD0001')).status).toBe(200);
    expect((await file('U0LEGAL001')).status).toBe(404);
  }, 180_000);
});
