import type { WebClient } from '@slack/web-api';
import { SlackApiError } from './errors.js';
import type { CallWithRetry } from './retry.js';

/** What each group of gateway methods needs. */
export interface GatewayContext {
  client: WebClient;
  call: CallWithRetry;
}

/** A field Slack documents as always present; its absence means we misunderstood the API. */
export function required<T>(value: T | null | undefined, method: string, field: string): T {
  if (value === undefined || value === null) {
    throw new SlackApiError({ code: 'invalid_response', method }, `Slack ${method} answered without ${field}`);
  }
  return value;
}

/**
 * Runs `work`, treating the given Slack error codes as success: they mean the state we asked
 * for already holds (`already_pinned`, `already_archived`, ...), which makes calls idempotent.
 */
export async function succeedingOn(codes: readonly string[], work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof SlackApiError && codes.includes(err.code)) return;
    throw err;
  }
}
