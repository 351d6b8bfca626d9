/** What the triage forms send back: the report id in private_metadata, the chosen incident, the reason. */
import { z } from 'zod';

const metadata = z.object({ reportId: z.uuid() });

/** The report id a triage form carried; undefined when tampered with or missing. */
export function reportIdFromMetadata(raw: string | undefined): string | undefined {
  try {
    const parsed = metadata.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data.reportId : undefined;
  } catch {
    return undefined;
  }
}

export const mergeViewState = z.object({
  incident: z.object({ value: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) }).optional(),
});

export const dismissViewState = z.object({
  reason: z.object({ value: z.object({ value: z.string().nullish() }) }).optional(),
});

/** A triage form's submission, as Slack sends it. */
export function triageSubmission<T extends z.ZodType>(state: T) {
  return z.object({
    view: z.object({ id: z.string().min(1), private_metadata: z.string().optional(), state: z.object({ values: state }) }),
    user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  });
}
