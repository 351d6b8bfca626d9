import { describe, expect, it } from 'vitest';
import { loadMeridianConfig } from '../../src/config-file/load.js';
import { blocksHtml, type BlockContext } from '../../src/sandbox/page/blocks.js';
import { mrkdwnHtml } from '../../src/sandbox/page/mrkdwn.js';
import { formatSlackDate, zonedToEpochSeconds } from '../../src/sandbox/page/zone-time.js';
import { FakeState } from '../../src/sandbox/slack/state.js';
import { SANDBOX_PEOPLE, seedWorkspace } from '../../src/sandbox/workspace.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const ctx: BlockContext = {
  tz: 'Asia/Singapore',
  now: NOW,
  idPrefix: 'm1',
  userName: (id) => ({ U0LEAD0001: 'Mei Tan' })[id],
  channelName: (id) => ({ C1: 'inc-1-spam' })[id],
  channelHref: (id) => `/?at=${id}`,
  people: [{ id: 'U0LEAD0001', name: 'Mei Tan' }],
  channels: [{ id: 'C1', name: 'inc-1-spam' }],
};

describe('mrkdwn as HTML', () => {
  it('when text has bold, italic, strike, code, a quote, links and emoji, then each renders', () => {
    const html = mrkdwnHtml('*bold* _it_ ~gone~ `x < y`\n> quoted\n<https://example.com|site> :pushpin:', ctx);
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>it</em>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('<code>x &lt; y</code>');
    expect(html).toContain('<blockquote>quoted</blockquote>');
    expect(html).toContain('<a href="https://example.com" rel="noreferrer" target="_blank">site</a>');
    expect(html).toContain('📌');
  });

  it('when text mentions people and channels, then they show by name', () => {
    const html = mrkdwnHtml('<@U0LEAD0001> in <#C1> and <#C9|other>', ctx);
    expect(html).toContain('@Mei Tan');
    expect(html).toContain('<a class="mention" href="/?at=C1">#inc-1-spam</a>');
    expect(html).toContain('#other');
  });

  it('when text is Slack-escaped, then it shows literally and no HTML gets through', () => {
    const html = mrkdwnHtml('&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt; "q"', ctx);
    expect(html).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt; &quot;q&quot;');
    expect(mrkdwnHtml('<javascript:alert(1)|click>', ctx)).toBe('click');
    expect(mrkdwnHtml('```\n*not bold* <b>\n```', ctx)).toBe('<pre>*not bold* &lt;b&gt;\n</pre>');
  });

  it('when text has a <!date^…> token, then it shows in the reader’s zone', () => {
    // 2026-03-10 09:30 UTC is 17:30 in Singapore and 02:30 in Los Angeles.
    const token = '<!date^1773135000^{date_short_pretty} at {time}|fallback>';
    expect(mrkdwnHtml(token, ctx)).toContain('today at 17:30');
    expect(mrkdwnHtml(token, { ...ctx, tz: 'America/Los_Angeles' })).toContain('today at 02:30');
    expect(formatSlackDate(new Date('2026-03-11T09:30:00Z'), '{date_long}', 'Europe/Dublin', NOW)).toBe('Wednesday, March 11th, 2026');
    expect(formatSlackDate(new Date('2026-03-11T09:30:00Z'), '{date_num} {date_pretty}', 'Europe/Dublin', NOW)).toBe('2026-03-11 tomorrow');
  });

  it('when a datetimepicker gives a wall time in a zone, then the epoch seconds are that instant', () => {
    expect(zonedToEpochSeconds('2026-03-10T17:30', 'Asia/Singapore')).toBe(1773135000);
    expect(zonedToEpochSeconds('2026-07-01T09:00', 'Europe/Dublin')).toBe(Date.UTC(2026, 6, 1, 8) / 1000);
  });
});

describe('Block Kit as HTML', () => {
  it('when a message has every block the bot sends, then each renders with real buttons and labelled controls', () => {
    const html = blocksHtml(
      [
        { type: 'header', text: { type: 'plain_text', text: 'INC-1 :rotating_light:' } },
        {
          type: 'section',
          block_id: 's',
          text: { type: 'mrkdwn', text: '*Severity*' },
          fields: [{ type: 'mrkdwn', text: 'SEV2' }],
          accessory: { type: 'overflow', action_id: 'more', options: [{ text: { type: 'plain_text', text: 'Close' }, value: 'close' }] },
        },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: 'ctx' },
            { type: 'image', image_url: 'https://x/y.png', alt_text: 'y' },
          ],
        },
        {
          type: 'actions',
          block_id: 'card',
          elements: [
            { type: 'button', action_id: 'ack', value: 'inc-1', style: 'primary', text: { type: 'plain_text', text: 'Acknowledge' } },
            {
              type: 'static_select',
              action_id: 'sev',
              placeholder: { type: 'plain_text', text: 'Severity' },
              options: [{ text: { type: 'plain_text', text: 'SEV1' }, value: 'sev1' }],
            },
            { type: 'checkboxes', action_id: 'done', options: [{ text: { type: 'plain_text', text: 'Done' }, value: 'd' }] },
            { type: 'datepicker', action_id: 'day', initial_date: '2026-03-10' },
          ],
        },
        { type: 'divider' },
        { type: 'image', image_url: 'https://x/chart.png', alt_text: 'chart', title: { type: 'plain_text', text: 'Weekly' } },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'hi ', style: { bold: true } },
                { type: 'user', user_id: 'U0LEAD0001' },
              ],
            },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain('role="heading"');
    expect(html).toContain('🚨');
    expect(html).toContain('<select data-action-id="more" data-block-id="s" data-type="overflow" aria-label="More actions">');
    expect(html).toContain(
      '<button type="button" class="btn primary" data-action-id="ack" data-block-id="card" data-type="button" data-value="inc-1">Acknowledge</button>',
    );
    expect(html).toContain('aria-label="Severity"');
    expect(html).toContain('type="checkbox"');
    expect(html).toContain('type="date"');
    expect(html).toContain('<hr class="b-divider">');
    expect(html).toContain('<figcaption>Weekly</figcaption>');
    expect(html).toContain('<strong>hi </strong><span class="mention">@Mei Tan</span>');
    expect(html).not.toContain('unsupported');
  });

  it('when a modal has inputs, then each is labelled by its Block Kit label and shows its inline error', () => {
    const html = blocksHtml(
      [
        {
          type: 'input',
          block_id: 'title',
          label: { type: 'plain_text', text: 'Title' },
          element: { type: 'plain_text_input', action_id: 'value', initial_value: '<b>' },
        },
        {
          type: 'input',
          block_id: 'summary',
          optional: true,
          label: { type: 'plain_text', text: 'Summary' },
          element: { type: 'plain_text_input', action_id: 'value', multiline: true },
        },
        {
          type: 'input',
          block_id: 'sev',
          label: { type: 'plain_text', text: 'Severity' },
          element: { type: 'radio_buttons', action_id: 'value', options: [{ text: { type: 'plain_text', text: 'SEV1' }, value: 'sev1' }] },
        },
        {
          type: 'input',
          block_id: 'who',
          label: { type: 'plain_text', text: 'Person' },
          element: { type: 'users_select', action_id: 'value' },
        },
        {
          type: 'input',
          block_id: 'when',
          label: { type: 'plain_text', text: 'Respond by' },
          element: { type: 'datetimepicker', action_id: 'value', initial_date_time: 1773135000 },
        },
        { type: 'input', block_id: 'at', label: { type: 'plain_text', text: 'At' }, element: { type: 'timepicker', action_id: 'value' } },
      ],
      { ...ctx, errors: { title: 'Too long' } },
    );
    expect(html).toContain('<label class="label" for="m1-title">Title</label>');
    expect(html).toContain('id="m1-title" name="title/value" value="&lt;b&gt;"');
    expect(html).toContain('<div class="error" role="alert" id="m1-title-error">Too long</div>');
    expect(html).toContain('<textarea data-type="plain_text_input" id="m1-summary" name="summary/value"');
    expect(html).toContain('role="radiogroup" id="m1-sev" aria-labelledby="m1-sev-label"');
    expect(html).toContain('<option value="U0LEAD0001">Mei Tan</option>');
    expect(html).toContain('value="2026-03-10T17:30"');
    expect(html).toContain('type="time"');
  });
});

describe('the sandbox workspace', () => {
  it('when config/sandbox.yaml names people, then the sandbox seeds every one of them', async () => {
    const loaded = await loadMeridianConfig('config/sandbox.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const seeded = new Set(SANDBOX_PEOPLE.map((p) => p.id));
    const named = [
      ...loaded.config.admins,
      ...loaded.config.schedules.flatMap((s) => [...(s.managers ?? []), ...s.layers.flatMap((l) => l.rotation.members)]),
    ];
    const ids = named.map((m: unknown) => (typeof m === 'string' ? m : (m as { userId?: string }).userId));
    expect(ids.filter((id) => id === undefined || !seeded.has(id))).toEqual([]);
  });
});

describe('the sandbox shows every feature out of the box', () => {
  it('when the sandbox starts with its shipped config, then it has response clocks, intake sources, digests in a seeded channel and the wellbeing nudge', async () => {
    const loaded = await loadMeridianConfig('config/sandbox.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const { config } = loaded;
    expect((config.deadlines ?? []).map((d) => d.id)).toContain('eu-tco-removal-order');
    expect(config.categories.find((c) => c.id === 'regulator-request')?.deadlineIds).toEqual(['eu-tco-removal-order']);
    expect(config.intake.sources.map((s) => s.id)).toContain('regulator-portal');
    expect(config.reports?.weekly).toBeDefined();
    expect(config.reports?.monthly).toBeDefined();
    expect(config.wellbeing?.exposureMinutes).toBeGreaterThan(0);
    // The digests' channel exists in a new sandbox workspace, the bot in it.
    const state = new FakeState(SANDBOX_PEOPLE);
    seedWorkspace(state);
    const reports = state.channels.get(config.reports?.channelId ?? '');
    expect(reports?.name).toBe('tns-reports');
    expect(reports?.members.has('U0ADMIN001')).toBe(true);
  });
});

describe('URLs a message carries (issue 20, item 1)', () => {
  it('when a message carries javascript: URLs in text, dates, buttons, images and rich text, then none is rendered and an https link is', () => {
    const text = 'Click <javascript:alert(1)|here> or <!date^1767225600^{date}^javascript:alert(2)|then>';
    const blocks = [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Planted <javascript:alert(3)|link> and <!date^1767225600^{date}^javascript:alert(4)|then>' },
      },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'javascript:alert(5)', action_id: 'x' }],
      },
      { type: 'image', image_url: 'javascript:alert(6)', alt_text: 'img' },
      {
        type: 'rich_text',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'link', url: 'javascript:alert(7)', text: 'rich' }] }],
      },
      { type: 'section', text: { type: 'mrkdwn', text: 'A fine <https://example.com/ok|link>' } },
    ];
    const html = `${mrkdwnHtml(text, ctx)}${blocksHtml(blocks, ctx)}`;
    expect(html).toContain('https://example.com/ok');
    expect(html.toLowerCase()).not.toContain('javascript:');
  });
});
