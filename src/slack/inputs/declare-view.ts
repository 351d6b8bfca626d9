import { z } from 'zod';
import { SLACK_CONVERSATION_ID } from '../../domain/slack-user.js';

const plainText = z.object({ value: z.string().nullish() });
const selected = z.object({ selected_option: z.object({ value: z.string() }).nullish() });
const checked = z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() });

/** Slack's view.state.values for the declare modal: `{ blockId: { actionId: element state } }`. */
export const declareViewState = z.object({
  title: z.object({ value: plainText }).optional(),
  severity: z.object({ value: selected }).optional(),
  category: z.object({ value: selected }).optional(),
  summary: z.object({ value: plainText }).optional(),
  private: z.object({ value: checked }).optional(),
  respond_by: z.object({ value: z.object({ selected_date_time: z.number().int().nullish() }) }).optional(),
  received: z.object({ value: z.object({ selected_date_time: z.number().int().nullish() }) }).optional(),
});

export const declareViewSubmission = z.object({
  view: z.object({
    id: z.string().min(1),
    private_metadata: z.string().optional(),
    state: z.object({ values: declareViewState }),
  }),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
});

/** Flattens the modal's state into the plain fields the domain validates. */
export function declareFieldsFromState(values: z.infer<typeof declareViewState>): Record<string, unknown> {
  return {
    title: values.title?.value.value ?? undefined,
    severity: values.severity?.value.selected_option?.value,
    category: values.category?.value.selected_option?.value,
    summary: values.summary?.value.value ?? undefined,
    private: (values.private?.value.selected_options ?? []).some((o) => o.value === 'private'),
    respondBy: values.respond_by?.value.selected_date_time ?? undefined,
    receivedAt: values.received?.value.selected_date_time ?? undefined,
  };
}

const metadata = z.object({
  originChannelId: z.string().regex(SLACK_CONVERSATION_ID).optional(),
  reportId: z.uuid().optional(),
  sourceMessage: z.object({ channelId: z.string().regex(SLACK_CONVERSATION_ID), ts: z.string().regex(/^\d{1,12}\.\d{1,8}$/) }).optional(),
});

export function parseDeclareMetadata(raw: string | undefined): z.infer<typeof metadata> {
  try {
    const parsed = metadata.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
