import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';

/** At most this many lookups per review; the rest are shown by id. */
const MAX_PEOPLE = 40;

/**
 * Display names for the people a review names, looked up in Slack. A review is read outside
 * Slack, where `U0123ABC` means nothing; but a name is a nicety, so a person Slack cannot find,
 * or who is not found within `budgetMs`, is shown by id rather than holding up the review.
 */
export async function displayNames(
  deps: { slack: Pick<SlackGateway, 'userInfo'>; logger: Logger },
  userIds: readonly string[],
  budgetMs: number,
): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  const lookups = userIds.slice(0, MAX_PEOPLE).map(async (id) => {
    try {
      const user = await deps.slack.userInfo(id);
      const name = user.realName.trim() || user.name.trim();
      if (name) names[id] = name;
    } catch (err) {
      deps.logger.debug({ err, userId: id }, 'review: no display name, showing the id');
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
  });
  try {
    await Promise.race([Promise.all(lookups), deadline]);
  } finally {
    clearTimeout(timer);
  }
  // Copy, so a lookup that lands after the deadline cannot change a review being rendered.
  return { ...names };
}
