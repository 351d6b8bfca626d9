/** `message` events with subtype `message_changed` or `message_deleted` (issue 24): what Meridian's copies follow. */
import { z } from 'zod';

const changed = z.object({
  type: z.literal('message'),
  subtype: z.literal('message_changed'),
  channel: z.string().min(1),
  message: z.object({ ts: z.string().min(1), text: z.string().default('') }),
});

const deleted = z.object({
  type: z.literal('message'),
  subtype: z.literal('message_deleted'),
  channel: z.string().min(1),
  deleted_ts: z.string().min(1),
});

export type MessageEdit =
  | { kind: 'changed'; channelId: string; ts: string; text: string }
  | { kind: 'deleted'; channelId: string; ts: string };

/** The edit or deletion, or null for any other message event. */
export function parseMessageEdit(raw: unknown): MessageEdit | null {
  const c = changed.safeParse(raw);
  if (c.success) return { kind: 'changed', channelId: c.data.channel, ts: c.data.message.ts, text: c.data.message.text };
  const d = deleted.safeParse(raw);
  if (d.success) return { kind: 'deleted', channelId: d.data.channel, ts: d.data.deleted_ts };
  return null;
}
