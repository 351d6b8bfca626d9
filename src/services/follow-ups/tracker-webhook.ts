/**
 * A tracker says an issue changed (Jira's webhook): when it is the issue of an open follow-up
 * and its status category is Done, the follow-up is closed now, as the polling would later.
 */
import { findFollowUp, findFollowUpByTrackerKey, type StoredFollowUp } from '../../db/repos/follow-ups.js';
import { followUpRef, trackerSaysDone } from '../../domain/follow-ups.js';
import { closeFollowUpAs } from './close.js';
import type { FollowUpDeps } from './deps.js';

/** What the webhook says of an issue. */
export interface TrackerIssueChange {
  key: string;
  labels: readonly string[];
  statusName: string;
  statusCategoryKey: string;
}

/** What became of it: the JSON body Jira gets back (it shows in Jira's webhook log). */
export type TrackerIssueOutcome = { result: 'unknown_issue' } | { result: 'closed' | 'already_closed' | 'still_open'; followUp: string };

const LABEL = /^meridian-fu-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export async function trackerIssueChanged(deps: FollowUpDeps, change: TrackerIssueChange): Promise<TrackerIssueOutcome> {
  const f = await followUpOfIssue(deps, change);
  if (!f) return { result: 'unknown_issue' };
  const ref = followUpRef(f);
  if (f.status !== 'open') return { result: 'already_closed', followUp: ref };
  if (!trackerSaysDone(change.statusCategoryKey)) return { result: 'still_open', followUp: ref };
  // A request, not a job: a redelivered webhook finds the follow-up closed and posts nothing.
  const closed = await closeFollowUpAs(
    deps,
    { followUpId: f.id, status: 'done', reason: null, actorId: null, via: `done in Jira ${change.key}` },
    (_key, message) => deps.slack.postMessage(message),
  );
  return { result: closed ? 'closed' : 'already_closed', followUp: ref };
}

/** By the key Meridian stored, else by the label it set (an issue whose create answer has not been stored yet). */
async function followUpOfIssue(deps: FollowUpDeps, change: TrackerIssueChange): Promise<StoredFollowUp | undefined> {
  const byKey = await findFollowUpByTrackerKey(deps.db, change.key);
  if (byKey) return byKey;
  const id = change.labels.map((l) => LABEL.exec(l)?.[1]).find(Boolean);
  return id ? findFollowUp(deps.db, id) : undefined;
}
