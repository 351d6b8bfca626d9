/**
 * Slack's published rate limits, as the bot paces itself to them. Slack counts each Web API
 * method separately per workspace (and app), in tiers of requests per minute; chat.postMessage
 * has its own "about one per second per channel, short bursts allowed".
 * https://docs.slack.dev/apis/web-api/rate-limits
 *
 * The bot's own table: the fake Slack in src/sandbox keeps another one, and neither imports
 * the other (the bot never loads the sandbox at runtime).
 */

/** A rate tier: 1-4 as Slack numbers them, `post` for chat.postMessage's per-channel limit. */
export type SlackTier = 1 | 2 | 3 | 4 | 'post';

/** Requests per minute of each numbered tier (Slack's documented minimums: "1+", "20+", "50+", "100+"). */
const PER_MINUTE: Record<Exclude<SlackTier, 'post'>, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

/** chat.postMessage per channel: one a second, a burst of three tolerated. */
const POST_PER_SECOND = 1;
const POST_BURST = 3;

/** The tier of every method the bot calls. An unknown method is paced as Tier 3. */
export const METHOD_TIERS: Readonly<Record<string, SlackTier>> = {
  'auth.test': 4,
  'team.info': 3,
  'conversations.create': 2,
  'conversations.setTopic': 2,
  'conversations.archive': 2,
  'conversations.invite': 3,
  'conversations.info': 3,
  'conversations.open': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.members': 4,
  'chat.postMessage': 'post',
  'chat.update': 3,
  'chat.delete': 3,
  'chat.postEphemeral': 4,
  'chat.getPermalink': 4,
  'pins.add': 2,
  'pins.remove': 2,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'views.publish': 4,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'usergroups.users.list': 2,
  'usergroups.users.update': 2,
  'usergroups.list': 2,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'canvases.create': 2,
  'canvases.edit': 3,
};

export function tierOf(method: string): SlackTier {
  return METHOD_TIERS[method] ?? 3;
}

/** A token bucket: `capacity` calls at once, refilled at `perSecond`. */
export interface Budget {
  capacity: number;
  perSecond: number;
}

/**
 * The budget of a tier, times `scale` (both the burst and the rate; tests and the burst bench
 * run Slack's limits scaled 10x, the test harness generously). Capacity is never below one call.
 */
export function budgetOf(tier: SlackTier, scale = 1): Budget {
  if (tier === 'post') return { capacity: Math.max(1, Math.round(POST_BURST * scale)), perSecond: POST_PER_SECOND * scale };
  const perMinute = PER_MINUTE[tier] * scale;
  return { capacity: Math.max(1, Math.round(perMinute)), perSecond: perMinute / 60 };
}
