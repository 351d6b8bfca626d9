import type { Catalog } from '../../blocks/catalog.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import { DEFAULT_FOLLOW_UPS, type FollowUpsConfig } from '../../domain/follow-ups.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { JiraGateway } from '../../jira-api/gateway.js';
import type { OutgoingWebhook } from '../../outgoing-webhook/gateway.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { refreshIncidentCard } from '../incident-card.js';

/** What the follow-up use cases share. `jira` is absent when JIRA_BASE_URL is unset: nothing is exported. */
export interface FollowUpDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postMessage' | 'updateMessage'>;
  scheduler: Pick<ActionScheduler, 'enqueue' | 'remove'>;
  catalog: Catalog;
  meridian: MeridianConfig;
  logger: Logger;
  clock: Clock;
  jira?: JiraGateway;
  /** The signed outgoing webhook (FOLLOW_UP_WEBHOOK_URL); absent: off. */
  webhook?: OutgoingWebhook;
  /** Re-writes the incident's review canvas, where there is one, so it lists the follow-ups as they are. */
  reviewCanvas?: { refresh(incidentId: string): Promise<void> };
}

/** The card and the review after a follow-up changed: best effort, logged when Slack refuses. */
export async function showFollowUpChange(deps: FollowUpDeps, incidentId: string): Promise<void> {
  await refreshIncidentCard({ ...deps }, incidentId).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
  await deps.reviewCanvas
    ?.refresh(incidentId)
    .catch((err: unknown) => deps.logger.warn({ err, incidentId }, 'review canvas not refreshed after a follow-up change'));
}

export function followUpsConfig(deps: Pick<FollowUpDeps, 'meridian'>): FollowUpsConfig {
  return deps.meridian.followUps ?? DEFAULT_FOLLOW_UPS;
}

/** The Jira project a follow-up of `teamId` goes to, when Jira is configured. */
export function jiraProjectOf(deps: Pick<FollowUpDeps, 'meridian' | 'jira'>, teamId: string | null): string | undefined {
  if (!deps.jira || !teamId) return undefined;
  return followUpsConfig(deps).teams.find((t) => t.id === teamId)?.jiraProject;
}

/** Kinds of scheduled action a closing cancels: all of one follow-up's but the webhook, which must still say it was closed. */
export const FOLLOW_UP_KINDS = ['follow-up-notice', 'follow-up-reminder', 'follow-up-export', 'follow-up-sync'] as const;
