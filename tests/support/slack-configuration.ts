import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { incidents, scheduledActions, timelineEntries } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/log.js';
import { manifestBotScopes } from '../../src/sandbox/slack/start.js';
import type { RecordedCall } from '../fakes/fake-slack.js';
import { declareState, eventually, type Harness } from './meridian-harness.js';

/** What the bot logged, one parsed pino line each. */
export interface LogLines {
  lines: Array<{ level: number; msg: string; raw: string }>;
  logger: ReturnType<typeof createLogger>;
  /** Lines whose message contains every one of `words`. */
  matching(...words: string[]): Array<{ level: number; msg: string }>;
}

export function captureLogs(): LogLines {
  const lines: LogLines['lines'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const raw of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const line = JSON.parse(raw) as { level: number; msg: string };
        lines.push({ level: line.level, msg: line.msg, raw });
      }
      done();
    },
  });
  return {
    lines,
    logger: createLogger('info', sink),
    matching: (...words) => lines.filter((l) => words.every((w) => l.msg.includes(w))),
  };
}

/** The manifest's scopes without these. */
export function scopesWithout(...scopes: string[]): string[] {
  return manifestBotScopes().filter((s) => !scopes.includes(s));
}

export const ADMIN = 'U0ADMIN001';
export const COMMANDER = 'U0DECL001';

/** A sensitive category and a 6-second exposure threshold: a nudge DM (postOnce reads the DM's history first) within seconds. */
export function wellbeingConfig(): MeridianConfig {
  const parsed = parseMeridianConfig(
    `
admins: [${ADMIN}]
schedules:
  - id: tns
    name: Trust & Safety
    layers:
      - name: EMEA
        timezone: Europe/Dublin
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0DUA0001, U0DUC0003], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
categories:
  - { id: child-safety, name: "Child safety", default_severity: sev1, private: true, sensitive: true }
  - { id: media-inquiry, name: "Media inquiry", default_severity: sev3 }
wellbeing:
  exposure_minutes: 0.1
`,
    'yaml',
  );
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

/** The harness clock: real speed from Monday 2 March 2026 10:30 UTC (Dublin's layer on duty). */
export function mondayClock(): () => Date {
  const offsetMs = Date.parse('2026-03-02T10:30:00Z') - Date.now();
  return () => new Date(Date.now() + offsetMs);
}

export const NUDGE = 'on sensitive incidents today';

export const nudgesTo = (h: Harness, userId: string): RecordedCall[] =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === userId && JSON.stringify(c.args).includes(NUDGE) && c.status === 200);

/** Declares a sensitive incident as the commander and posts a status update: exposure starts counting. */
export async function startExposure(h: Harness, title: string): Promise<void> {
  await h.submitView(
    {
      id: `V0SCOPE${title.length}${Date.now() % 10_000}`,
      callback_id: 'declare_incident',
      state: declareState({ title, category: 'child-safety' }),
    },
    { userId: COMMANDER },
  );
  const incident = await eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
      return row?.cardTs && row.channelId ? row : undefined;
    },
    `"${title}" to be set up`,
    15_000,
  );
  await h.submitView(
    {
      id: `V0SCOPEUPD${Date.now() % 100_000}`,
      callback_id: 'incident_update',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: {
        values: {
          status: { value: { selected_option: { value: 'investigating' } } },
          known: { value: { value: 'Known so far' } },
          doing: { value: { value: 'Working on it' } },
          next_update: { value: { selected_date_time: null } },
        },
      },
    },
    { userId: COMMANDER },
  );
  await eventually(async () => {
    const rows = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident.id));
    return rows.some((r) => r.kind === 'update_posted');
  }, 'the status update');
}

/** The commander's exposure-check rows. */
export async function exposureChecks(h: Harness) {
  const rows = await h.db.select().from(scheduledActions).where(eq(scheduledActions.kind, 'exposure-check'));
  return rows.filter((r) => r.data.userId === COMMANDER);
}

export async function healthz(h: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${h.runtime.port}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function metricsText(h: Harness): Promise<string> {
  return (await fetch(`http://127.0.0.1:${h.runtime.port}/metrics`)).text();
}
