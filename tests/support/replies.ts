/** What the bot told one person only: ephemerals it posted, and answers through a command's or a click's response_url. */
import type { FakeSlack, RecordedCall } from '../fakes/fake-slack.js';
import { eventually } from './meridian-harness.js';

/** Both ways a reply only its person sees reaches them; each call's args carry `user` and `text`. */
export function privateReplies(fake: FakeSlack): RecordedCall[] {
  return [...fake.callsTo('chat.postEphemeral'), ...fake.callsTo('response_url')];
}

/** Waits for a private reply that `predicate` accepts. */
export function waitForPrivateReply(fake: FakeSlack, predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
  return eventually(() => privateReplies(fake).find(predicate), 'a reply only its person sees', timeoutMs);
}
