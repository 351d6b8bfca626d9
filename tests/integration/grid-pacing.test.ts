import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackGateway } from '../../src/slack-api/gateway.js';
import { createPacer } from '../../src/slack-api/pacer.js';
import { inWorkspace } from '../../src/slack-api/workspace.js';
import { manifestBotScopes } from '../../src/sandbox/slack/start.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

const APAC = 'T0APAC0001';
const EMEA = 'T0EMEA0001';
const ORG_TOKEN = 'xoxb-org-pacing-test';
const silent = pino({ level: 'silent' });

let fake: FakeSlack;
let apacChannels: string[] = [];
beforeAll(async () => {
  // Slack's published limits (scale 1), enforced by the fake per workspace as Slack counts them.
  fake = await startFakeSlack({
    rateLimits: { scale: 1 },
    org: {
      enterprise: { id: 'E0MERIDIAN', name: 'Meridian Org' },
      teams: [
        { id: APAC, name: 'APAC', domain: 'apac' },
        { id: EMEA, name: 'EMEA', domain: 'emea' },
      ],
    },
  });
  fake.state.install(ORG_TOKEN, manifestBotScopes(), { orgWide: true });
  fake.addToWorkspaces(ORG_TOKEN, [APAC, EMEA]);
});
afterAll(async () => {
  await fake?.close();
});

describe('pacing per workspace on an Enterprise Grid org', () => {
  it('when a burst of channel creations saturates APAC, then a creation in EMEA goes at once, and the fake refused none', async () => {
    const slack = createSlackGateway({
      token: '',
      apiUrl: fake.url,
      logger: silent,
      pacer: createPacer({ logger: silent, scale: 1 }),
      routing: { tokenFor: async () => ({ token: ORG_TOKEN, orgWide: true }), home: () => undefined },
      maxPaceWaitMs: 200,
    });
    // Tier 2: a burst of 20, of which normal callers leave 2 for urgent ones.
    const apac = await inWorkspace({ teamId: APAC }, () =>
      Promise.allSettled(Array.from({ length: 19 }, (_, i) => slack.createChannel({ name: `apac-burst-${i}`, isPrivate: false }))),
    );
    expect(apac.filter((r) => r.status === 'fulfilled')).toHaveLength(18);
    apacChannels = apac.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : []));
    // The 19th waits for APAC's bucket (3 s a token at Tier 2), longer than this caller may.
    expect(apac.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([
      expect.stringContaining('conversations.create rate limited'),
    ]);
    const t0 = Date.now();
    const emea = await inWorkspace({ teamId: EMEA }, () => slack.createChannel({ name: 'emea-page', isPrivate: false }));
    expect(Date.now() - t0).toBeLessThan(200);
    expect(fake.channel(emea.id)?.teamId).toBe(EMEA);
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(fake.callsTo('conversations.create').every((c) => c.args.team_id === APAC || c.args.team_id === EMEA)).toBe(true);
  });

  it('when APAC work sets the topics of an EMEA channel in a burst, then it counts against EMEA as Slack does, and APAC work on an APAC channel goes at once', async () => {
    const slack = createSlackGateway({
      token: '',
      apiUrl: fake.url,
      logger: silent,
      pacer: createPacer({ logger: silent, scale: 1 }),
      routing: { tokenFor: async () => ({ token: ORG_TOKEN, orgWide: true }), home: () => undefined },
      maxPaceWaitMs: 200,
    });
    // A channel created in EMEA (the router learns its workspace from the answer).
    const emea = await inWorkspace({ teamId: EMEA }, () => slack.createChannel({ name: 'emea-topics', isPrivate: false }));
    fake.reset();
    // An APAC job (say, an APAC incident's set-up) touching the EMEA channel: Slack counts the
    // calls in the channel's workspace, so EMEA's Tier 2 bucket runs dry, not APAC's.
    const burst = await inWorkspace({ teamId: APAC }, () =>
      Promise.allSettled(Array.from({ length: 19 }, (_, i) => slack.setTopic(emea.id, `topic ${i}`))),
    );
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(18);
    expect(burst.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const t0 = Date.now();
    await inWorkspace({ teamId: APAC }, () => slack.setTopic(apacChannels[0] ?? '', 'APAC is not slowed'));
    expect(Date.now() - t0).toBeLessThan(200);
    // The fake, counting per workspace as Slack does, refused nothing: the pacer counted the same way.
    expect(fake.calls.filter((c) => c.status === 429)).toEqual([]);
    expect(fake.callsTo('conversations.setTopic')).toHaveLength(19);
  });
});
