/** `follow_ups:` in the config file: the teams follow-ups are assigned to, their Jira projects, and when owners are reminded. */
import { z } from 'zod';
import { DEFAULT_FOLLOW_UPS, type FollowUpsConfig } from '../domain/follow-ups.js';

const team = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected a lowercase id such as legal or tns-ops'),
  name: z.string().min(1).max(60),
  // Jira project keys: an uppercase letter, then uppercase letters, digits or underscores.
  jira_project: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'expected a Jira project key such as LEGAL')
    .optional(),
  // Follow-ups of incidents of these categories (typed in the resolve modal) go to this team.
  categories: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a category id such as child-safety')).default([]),
  // People of this team: a resolve-modal follow-up of an incident no team's categories name goes to its commander's team.
  members: z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U0123ABCD')).default([]),
});

const days = z.number().positive('expected a number of days above 0');

export const followUpsSection = z
  .strictObject({
    teams: z.array(team).default([]),
    remind_before_days: days.default(DEFAULT_FOLLOW_UPS.remindBeforeDays),
    // A private incident's follow-up titles stay in Slack unless this says they may reach Jira and the webhook.
    export_private_titles: z.boolean().default(false),
    default_due_days: days.default(DEFAULT_FOLLOW_UPS.defaultDueDays),
    tracker_poll_minutes: z.number().positive('expected a number of minutes above 0').default(DEFAULT_FOLLOW_UPS.trackerPollMinutes),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    for (const [i, t] of f.teams.entries()) {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'id'], message: `team id ${t.id} is listed twice` });
      seen.add(t.id);
    }
  })
  .transform(
    (f): FollowUpsConfig => ({
      teams: f.teams.map((t) => ({
        id: t.id,
        name: t.name,
        ...(t.jira_project ? { jiraProject: t.jira_project } : {}),
        ...(t.categories.length ? { categories: t.categories } : {}),
        ...(t.members.length ? { members: t.members } : {}),
      })),
      exportPrivateTitles: f.export_private_titles,
      remindBeforeDays: f.remind_before_days,
      defaultDueDays: f.default_due_days,
      trackerPollMinutes: f.tracker_poll_minutes,
    }),
  )
  .optional();
