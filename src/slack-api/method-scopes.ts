/**
 * What each Slack Web API call and event needs, as bot-token scopes: the one table the bot's
 * start-up check, the fake Slack's refusals and the manifest test all read. Pure data, from
 * Slack's method pages (docs.slack.dev/reference/methods/<method>, "Required scopes", bot token).
 *
 * Where Slack splits a method's scopes by conversation type (the conversations.* family), one
 * scope per type is listed: a call on a private channel needs `groups:*`, on a DM `im:*`, and so
 * on. A method absent here needs no scope (views.*, chat.getPermalink, auth.test).
 */

/** Slack's conversation types, as its scopes split them (`channels:`, `groups:`, `im:`, `mpim:`). */
export type ConversationType = 'public' | 'private' | 'im' | 'mpim';

export interface ScopeNeed {
  /** Needed whatever the conversation. */
  all?: readonly string[];
  /** Needed for a call on this conversation type. */
  byConversation?: Readonly<Partial<Record<ConversationType, string>>>;
  /** Lets the call reach a public channel the bot is not a member of (Slack answers `not_in_channel` without it). */
  publicWithoutMembership?: string;
}

const byType = (family: { public: string; private: string; im: string; mpim: string }): ScopeNeed => ({ byConversation: family });

const READ = byType({ public: 'channels:read', private: 'groups:read', im: 'im:read', mpim: 'mpim:read' });
const HISTORY = byType({ public: 'channels:history', private: 'groups:history', im: 'im:history', mpim: 'mpim:history' });
const MANAGE = byType({ public: 'channels:manage', private: 'groups:write', im: 'im:write', mpim: 'mpim:write' });

/** Web API method -> the bot scopes Slack requires for it. */
export const METHOD_SCOPES: Readonly<Record<string, ScopeNeed>> = {
  'team.info': { all: ['team:read'] },
  'conversations.create': MANAGE,
  'conversations.setTopic': MANAGE,
  'conversations.invite': MANAGE,
  'conversations.archive': MANAGE,
  'conversations.open': MANAGE,
  'conversations.info': READ,
  'conversations.members': READ,
  'conversations.history': HISTORY,
  'conversations.replies': HISTORY,
  'chat.postMessage': { all: ['chat:write'], publicWithoutMembership: 'chat:write.public' },
  'chat.postEphemeral': { all: ['chat:write'] },
  'chat.update': { all: ['chat:write'] },
  'pins.add': { all: ['pins:write'] },
  'pins.remove': { all: ['pins:write'] },
  'users.info': { all: ['users:read'] },
  'users.lookupByEmail': { all: ['users:read.email'] },
  'usergroups.users.list': { all: ['usergroups:read'] },
  'usergroups.users.update': { all: ['usergroups:write'] },
  'usergroups.list': { all: ['usergroups:read'] },
  'files.getUploadURLExternal': { all: ['files:write'] },
  'files.completeUploadExternal': { all: ['files:write'] },
  // Enterprise Grid: a user scope of the org admin who installed org-wide (org-token.ts).
  'admin.conversations.setTeams': { all: ['admin.conversations:write'] },
  'canvases.create': { all: ['canvases:write'] },
  'canvases.edit': { all: ['canvases:write'] },
};

/** Event subscription -> the bot scopes Slack requires to deliver it (from each event's page). */
export const EVENT_SCOPES: Readonly<Record<string, ScopeNeed>> = {
  app_home_opened: {},
  member_joined_channel: { byConversation: { public: 'channels:read', private: 'groups:read' } },
  member_left_channel: { byConversation: { public: 'channels:read', private: 'groups:read' } },
  pin_added: { all: ['pins:read'] },
  pin_removed: { all: ['pins:read'] },
  reaction_added: { all: ['reactions:read'] },
  reaction_removed: { all: ['reactions:read'] },
  // Edits and deletions of captured messages (issue 24): message_changed / message_deleted arrive as these.
  'message.channels': { all: ['channels:history'] },
  'message.groups': { all: ['groups:history'] },
};

/** The scope behind slash commands and shortcuts. */
export const COMMANDS_SCOPE = 'commands';

/**
 * Every Web API call this version makes, with the conversation types it makes it on. A test
 * checks the methods against the gateway's source, and the manifest's scopes against what this
 * list needs.
 */
export const MERIDIAN_CALLS: ReadonlyArray<{ method: string; on?: readonly ConversationType[] }> = [
  { method: 'auth.test' },
  { method: 'conversations.create', on: ['public', 'private'] },
  { method: 'conversations.setTopic', on: ['public', 'private'] },
  { method: 'conversations.invite', on: ['public', 'private'] },
  { method: 'conversations.archive', on: ['public', 'private'] },
  { method: 'conversations.members', on: ['public', 'private'] },
  { method: 'conversations.open', on: ['im'] },
  // The timeline reads channel messages; postOnce reads a DM's or channel's recent messages for its tag.
  { method: 'conversations.history', on: ['public', 'private', 'im'] },
  { method: 'conversations.replies', on: ['public', 'private'] },
  { method: 'chat.postMessage', on: ['public', 'private', 'im'] },
  { method: 'chat.postEphemeral', on: ['public', 'private', 'im'] },
  { method: 'chat.update', on: ['public', 'private', 'im'] },
  { method: 'chat.getPermalink' },
  { method: 'pins.add' },
  { method: 'pins.remove' },
  { method: 'views.open' },
  { method: 'views.update' },
  { method: 'views.publish' },
  { method: 'users.info' },
  { method: 'users.lookupByEmail' },
  { method: 'usergroups.users.list' },
  // On-call user groups: set to who is on call at each handoff and override.
  { method: 'usergroups.users.update' },
  { method: 'files.getUploadURLExternal' },
  { method: 'files.completeUploadExternal' },
  { method: 'canvases.create' },
  { method: 'canvases.edit' },
];

/** The events this version subscribes to, on the conversation types it cares about (incident channels are public or private). */
export const MERIDIAN_EVENTS: ReadonlyArray<{ event: string; on?: readonly ConversationType[] }> = [
  { event: 'app_home_opened' },
  { event: 'member_joined_channel', on: ['public', 'private'] },
  { event: 'member_left_channel', on: ['public', 'private'] },
  { event: 'pin_added' },
  { event: 'pin_removed' },
  { event: 'reaction_added' },
  { event: 'reaction_removed' },
  { event: 'message.channels' },
  { event: 'message.groups' },
];

/**
 * What stops working without each scope this version asks for: said by the start-up check when
 * the token lacks one, and in the README's list of scopes.
 */
export const SCOPE_PURPOSES: Readonly<Record<string, string>> = {
  commands: 'the /incident and /oncall commands and the "Declare incident" message shortcut',
  'chat:write': 'every message: incident cards, pages, reminders, DMs and replies',
  'chat:write.public': 'posts to public channels the bot was not invited to (the feed and triage channels)',
  'channels:manage': 'creating, inviting to, setting the topic of and archiving public incident channels',
  'groups:write': 'creating, inviting to, setting the topic of and archiving private (sensitive) incident channels',
  'channels:read': "member-joined/left events and member lists of public channels (the timeline, the triage channel's members)",
  'groups:read': 'member-joined/left events and member lists of private incident channels',
  'im:write': 'opening the DM with a person (pages, handoff notices, wellbeing nudges)',
  'channels:history': 'reading back public channel messages (timeline capture, once-only delivery checks)',
  'groups:history': 'reading back private channel messages (timeline capture, once-only delivery checks)',
  'im:history': 'the once-only check before a DM is retried (wellbeing nudges, coverage offers, handoff notices, deadline DMs)',
  'pins:write': 'pinning the incident card',
  'pins:read': 'pin events that add a message to the timeline',
  'reactions:read': 'reaction events that add a message to the timeline',
  'users:read': "people's names and time zones (handoff times, digests, reviews)",
  'users:read.email': 'finding people by email (config-file schedules, escalation targets)',
  'usergroups:read': 'paging a Slack user group and inviting stakeholder groups',
  'usergroups:write': 'keeping the on-call user groups (`user_group:`) equal to who is on call',
  'files:write': 'digest charts, CSV exports and review documents',
  'canvases:write': 'post-incident reviews written as a canvas in the incident channel',
};

function needOf(need: ScopeNeed, on: readonly ConversationType[] | undefined): string[] {
  const scopes = [...(need.all ?? [])];
  for (const type of on ?? []) {
    const scope = need.byConversation?.[type];
    if (scope !== undefined) scopes.push(scope);
  }
  if (need.publicWithoutMembership !== undefined && on?.includes('public')) scopes.push(need.publicWithoutMembership);
  return scopes;
}

/** Every scope this version needs: its calls, its events, and its commands. */
export function scopesMeridianNeeds(): string[] {
  const needed = new Set<string>([COMMANDS_SCOPE]);
  for (const { method, on } of MERIDIAN_CALLS) for (const s of needOf(METHOD_SCOPES[method] ?? {}, on)) needed.add(s);
  for (const { event, on } of MERIDIAN_EVENTS) for (const s of needOf(EVENT_SCOPES[event] ?? {}, on)) needed.add(s);
  return [...needed].sort();
}

/** The scopes one call needs on one conversation type (`undefined`: the type is not known). */
export function scopesForCall(method: string, conversation: ConversationType | undefined): string[] {
  const need = METHOD_SCOPES[method];
  if (need === undefined) return [];
  const scopes = [...(need.all ?? [])];
  const byConversation = conversation === undefined ? undefined : need.byConversation?.[conversation];
  if (byConversation !== undefined) scopes.push(byConversation);
  return scopes;
}

/** The scopes this version needs that `granted` lacks, each with what stops working without it. */
export function missingScopes(granted: Iterable<string>): Array<{ scope: string; breaks: string }> {
  const have = new Set(granted);
  return scopesMeridianNeeds()
    .filter((scope) => !have.has(scope))
    .map((scope) => ({ scope, breaks: SCOPE_PURPOSES[scope] ?? 'an unlisted feature' }));
}
