import type { FakeState } from './slack/state.js';
import type { FakeUser } from './slack/types.js';

/** A seeded person: a Slack user, what the person switcher says about them, and their phone. */
export interface SandboxPerson extends FakeUser {
  readonly role: string;
  /** E.164; config/sandbox.yaml's `contacts:` preloads it (and the email) as verified. */
  readonly phone: string;
}

/**
 * The people of the sandbox. Their ids are the ones `config/sandbox.yaml` names, so the
 * follow-the-sun schedule pages them; each lives in a zone of their own.
 */
export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  { id: 'U0LEAD0001', name: 'mei', realName: 'Mei Tan', tz: 'Asia/Singapore', role: 'Incident manager, Singapore', phone: '+6590000001' },
  {
    id: 'U0SGA0001',
    name: 'arjun',
    realName: 'Arjun Rao',
    tz: 'Asia/Singapore',
    role: 'On-call responder, Singapore',
    phone: '+6580000002',
  },
  {
    id: 'U0DUA0001',
    name: 'aoife',
    realName: 'Aoife Byrne',
    tz: 'Europe/Dublin',
    role: 'On-call responder, Dublin',
    phone: '+353850000003',
  },
  {
    id: 'U0LAA0001',
    name: 'diego',
    realName: 'Diego Ramos',
    tz: 'America/Los_Angeles',
    role: 'On-call responder, Los Angeles',
    phone: '+12135550104',
  },
  { id: 'U0LEGAL001', name: 'lena', realName: 'Lena Fischer', tz: 'Europe/Berlin', role: 'Legal liaison', phone: '+4915120000005' },
  { id: 'U0ADMIN001', name: 'sam', realName: 'Sam Okafor', tz: 'Europe/London', role: 'Meridian admin', phone: '+447400000006' },
].map((p) => ({ ...p, email: `${p.name}@sandbox.example` }));

/** The leads' user group the config invites to SEV1s and pages in the second escalation step. */
const LEADS_GROUP = { id: 'S0TNSLEAD1', members: ['U0LEAD0001', 'U0ADMIN001'] };

/** The digests' channel: config/sandbox.yaml's `reports.channel` names this id. */
export const SANDBOX_REPORTS_CHANNEL = { id: 'C0REPORTS1', name: 'tns-reports' } as const;

/** Channels every sandbox starts with; the bot is told the feed's and the triage channel's ids. */
export interface SeededChannels {
  feedChannelId: string;
  triageChannelId: string;
}

/** A new workspace: everyone in #general, #incidents (the feed), #tns-triage (intake) and #tns-reports (digests). */
export function seedWorkspace(state: FakeState): SeededChannels {
  state.usergroups.set(LEADS_GROUP.id, [...LEADS_GROUP.members]);
  const everyone = SANDBOX_PEOPLE.map((p) => p.id);
  const general = state.addChannel({ name: 'general', members: everyone });
  state.postUserMessage(general, 'U0LEAD0001', {
    text: 'Welcome to the Meridian sandbox :wave: Type `/incident` below to declare an incident, then switch to the person who is paged with *Acting as*.',
  });
  const feed = state.addChannel({ name: 'incidents', members: everyone });
  const triage = state.addChannel({ name: 'tns-triage', members: everyone });
  state.addChannel({ ...SANDBOX_REPORTS_CHANNEL, members: everyone });
  return { feedChannelId: feed.id, triageChannelId: triage.id };
}

/** The seeded channels of a restored workspace, found by name. */
export function seededChannels(state: FakeState): SeededChannels | undefined {
  const feed = state.channelByName('incidents');
  const triage = state.channelByName('tns-triage');
  return feed && triage ? { feedChannelId: feed.id, triageChannelId: triage.id } : undefined;
}

/**
 * `SANDBOX_ORG=1`: the sandbox plays an Enterprise Grid org of two workspaces, APAC and EMEA, with
 * Meridian installed org-wide (through its OAuth install, as an org admin would) and added to
 * both. Each person lives in the workspace of their region, so an APAC declaration that pages or
 * invites someone in EMEA crosses workspaces as it would on Grid.
 */
export const SANDBOX_ORG = {
  enterprise: { id: 'E0SANDBOX01', name: 'Meridian Sandbox Org' },
  teams: [
    { id: 'T0SBAPAC01', name: 'APAC', domain: 'meridian-sandbox-apac' },
    { id: 'T0SBEMEA01', name: 'EMEA', domain: 'meridian-sandbox-emea' },
  ],
} as const;

/** The org admin who installs Meridian org-wide in the sandbox (and grants the admin scope that shares channels). */
export const SANDBOX_ORG_ADMIN = 'U0ADMIN001';

/** Singapore and Los Angeles in APAC (the Pacific), Dublin, Berlin and London in EMEA. */
const ORG_TEAM_OF: Readonly<Record<string, string>> = {
  U0LEAD0001: 'T0SBAPAC01',
  U0SGA0001: 'T0SBAPAC01',
  U0LAA0001: 'T0SBAPAC01',
  U0DUA0001: 'T0SBEMEA01',
  U0LEGAL001: 'T0SBEMEA01',
  U0ADMIN001: 'T0SBEMEA01',
};

/** The people of the sandbox, each in their workspace of the org. */
export function sandboxOrgPeople(): SandboxPerson[] {
  return SANDBOX_PEOPLE.map((p) => ({ ...p, teamId: ORG_TEAM_OF[p.id] ?? SANDBOX_ORG.teams[0].id }));
}
