/** Slack-formatted words made plain, for the places Slack shows text as written (a modal's inline errors). */
import type { Logger } from '../log.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import { mentionedUserIds, plainFromSlack } from '../domain/slack-markup.js';

/** At most this many people are looked up, and for at most this long: a view submission's ack has 3 s. */
const MAX_LOOKUPS = 5;
const LOOKUP_BUDGET_MS = 800;

/**
 * `text` with `<@U…>` as `@Real Name` (from users.info), channels as `#name` and entities
 * decoded: a modal's `errors` are plain text in Slack, where a mention would show as raw
 * `<@U123>`. A person not found in time keeps their id (`@U123`).
 */
export async function plainText(deps: { slack: Pick<SlackGateway, 'userInfo'>; logger: Logger }, text: string): Promise<string> {
  const ids = [...new Set(mentionedUserIds(text))].slice(0, MAX_LOOKUPS);
  const names: Record<string, string> = {};
  const lookups = Promise.all(
    ids.map(async (id) => {
      try {
        const user = await deps.slack.userInfo(id);
        names[id] = user.realName || user.name || id;
      } catch (err) {
        deps.logger.debug({ err }, 'could not name a person for a plain-text error');
      }
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, LOOKUP_BUDGET_MS);
  });
  await Promise.race([lookups, budget]);
  clearTimeout(timer);
  return plainFromSlack(text, { ...names });
}
