/**
 * A year of record, written fast by Postgres itself (`generate_series`, no row leaves the server):
 * incidents across categories, severities, hubs and privacy, with their timelines, roles and
 * members, clocks, intake reports, follow-up actions, orders, escalations and pages, search texts
 * and legal holds, in the proportions of a Trust & Safety organisation that declares `incidents`
 * a year (per incident: 20 timeline entries, 1.5 clocks, 3 intake reports, 0.6 follow-ups,
 * 0.1 orders, 1.2 pages, 0.01 legal holds). Operators size their own database with it
 * (docs/operating.md, "Sizing the database").
 *
 * Every row is derived from its index (ids are the kind's hash, then the counter), so a seed is reproducible
 * and its children find their incident without a lookup. The last `open` incidents are still open
 * (investigating or mitigated), their clocks running; the rest are closed, their clocks met or
 * missed. `viewer` is a member of every other private open incident and owns some open follow-ups,
 * so the bench has a person who sees about `open` incidents.
 *
 *   tsx bench/seed-year.ts <database-url> [incidents=100000] [--now=ISO]
 */
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';

export interface SeedOptions {
  incidents: number;
  /** The end of the seeded year; declarations spread over the 365 days before it. */
  now: Date;
  /** Incidents still open: the latest ones. */
  open?: number;
  /** Pending intake reports: the latest ones. */
  pendingReports?: number;
  teamId?: string;
  viewer?: string;
  /** Distinguishes ids of two seeds in one database. */
  tag?: string;
}

/** Bumped when the seed writes other rows, so kept databases of an older seed are not reused. */
export const SEED_VERSION = 2;
export const SEED_TEAM = 'T0SEED0001';
export const SEED_VIEWER = 'U0SEEDVIEW';

/** Rows per incident for each table (the issue's year: 100k incidents, 2M entries, 150k clocks, 300k reports). */
export const SEED_RATIOS = {
  timeline_entries: 20,
  incident_clocks: 1.5,
  intake_reports: 3,
  follow_up_actions: 0.6,
  orders: 0.1,
  pages: 1.2,
  legal_holds: 0.01,
} as const;

const CATEGORIES = [
  'harmful-trend',
  'regulator-request',
  'media-inquiry',
  'partner-escalation',
  'child-safety',
  'self-harm',
  'account-search-safety',
  'tooling-outage',
  'other',
];
const PRIVATE = new Set(['child-safety', 'self-harm']);
const HUBS = [
  ['APAC', 'Asia/Singapore', 'U0SGA0001'],
  ['EMEA', 'Europe/Dublin', 'U0DUA0001'],
  ['AMER', 'America/Los_Angeles', 'U0LAA0001'],
  ['Weekend', 'Europe/Dublin', 'U0WEA0001'],
];

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * A uuid from a kind of row and its counter: 12 hex digits of the kind, then the counter, so ids
 * grow with the counter and every insert appends to the b-tree (random ids made the 2M timeline
 * entries several times slower to write).
 */
const idOf = (tag: string, kind: string, counter: string) =>
  `(left(md5(${sqlText(`${tag}:${kind}`)}), 12) || lpad(to_hex((${counter})::bigint), 20, '0'))::uuid`;
const arrayOf = (items: readonly string[]) => `array[${items.map(sqlText).join(',')}]::text[]`;

/** The statements of one seed, in order (each one table); `$1` everywhere is the end of the year. */
export function seedStatements(opts: SeedOptions): { table: string; sql: string }[] {
  const n = Math.floor(opts.incidents);
  const open = Math.min(n, Math.floor(opts.open ?? 600));
  const tag = opts.tag ?? 'seed';
  const team = sqlText(opts.teamId ?? SEED_TEAM);
  const viewer = sqlText(opts.viewer ?? SEED_VIEWER);
  const inc = (g: string) => idOf(tag, 'inc', g);
  const cats = arrayOf(CATEGORIES);
  const privates = arrayOf(CATEGORIES.filter((c) => PRIVATE.has(c)));
  // An incident's facts, from its index g (1..n): declared over the year, the latest `open` still open.
  const facts = `
    select g,
      ${inc('g')} as id,
      (${cats})[1 + (g * 7) % ${CATEGORIES.length}] as category,
      'sev' || (1 + (g * 13) % 4)::text as severity,
      $1::timestamptz - make_interval(secs => (${n} - g + 1)::double precision * ${(365 * 86400) / Math.max(n, 1)}) as declared_at,
      g > ${n - open} as is_open,
      'U0RESP' || lpad(((g * 31) % 40)::text, 4, '0') as commander,
      'U0DECL' || lpad(((g * 17) % 60)::text, 4, '0') as declarer
    from generate_series(1, ${n}) g`;
  const I = `(select f.*, f.category = any(${privates}) as is_private from (${facts}) f)`;
  const per = (ratio: number) => Math.max(0, Math.round(n * ratio));
  const hubs = `(values ${HUBS.map(([name, zone, user], i) => `(${i}, ${sqlText(name ?? '')}, ${sqlText(zone ?? '')}, ${sqlText(user ?? '')})`).join(', ')}) as h(i, name, zone, user_id)`;
  const layer = (name: string, timeZone: string, days: string[], from: number, to: number, members: string[]) => ({
    name,
    timeZone,
    coverage: { days, from: { hour: from, minute: 0 }, to: { hour: to, minute: 0 } },
    rotation: { members, every: { count: 1, unit: 'week' }, handoff: { hour: from, minute: 0 }, starts: { year: 2026, month: 1, day: 5 } },
  });
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
  const layers = [
    layer('APAC', 'Asia/Singapore', weekdays, 9, 18, ['U0SGA0001', 'U0SGB0002']),
    layer('EMEA', 'Europe/Dublin', weekdays, 9, 18, ['U0DUA0001', 'U0DUB0002', 'U0DUC0003']),
    layer('AMER', 'America/Los_Angeles', weekdays, 9, 18, ['U0LAA0001', 'U0LAB0002']),
    layer('Weekend', 'Europe/Dublin', ['sat', 'sun'], 0, 0, ['U0WEA0001', 'U0WEB0002']),
  ];
  return [
    {
      // The example config's follow-the-sun (a bot replaces it with its own file's at start), so the views' hubs have rows to read.
      table: 'schedules',
      sql: `insert into schedules (id, name, layers, synced_at)
        select 'tns-follow-the-sun', 'Trust & Safety follow-the-sun', ${sqlText(JSON.stringify(layers))}::jsonb, $1::timestamptz
        on conflict (id) do nothing`,
    },
    {
      table: 'incidents',
      sql: `insert into incidents (id, idempotency_key, team_id, title, summary, severity, declared_severity, peak_severity, category,
          status, is_private, declared_by, commander_id, declared_at, acknowledged_at, mitigated_at, resolved_at, closed_at,
          channel_id, channel_name, card_ts, feed_announced_at, declarer_told_at, last_update_at, resolution_summary, follow_ups, created_at, updated_at)
        select id, ${sqlText(`${tag}:`)} || g, ${team},
          'Seeded incident ' || g || ': ' || category || ' reported across several markets',
          'Reports of ' || category || ' content spreading; moderation queue growing in two regions.',
          severity, severity, case when g % 10 = 0 then 'sev1' else severity end, category,
          case when is_open then (case when g % 3 = 0 then 'mitigated' else 'investigating' end)
               when g % 50 = 0 then 'cancelled' when g % 7 = 0 then 'resolved' else 'closed' end,
          is_private, declarer, commander, declared_at,
          declared_at + interval '6 minutes',
          case when not is_open or g % 3 = 0 then declared_at + interval '70 minutes' end,
          case when not is_open and g % 50 <> 0 then declared_at + interval '5 hours' end,
          case when not is_open and g % 50 <> 0 and g % 7 <> 0 then declared_at + interval '3 days' end,
          'C' || ${sqlText(`${tag.toUpperCase()}`)} || g, 'inc-' || g, '1700000000.' || lpad(g::text, 6, '0'),
          declared_at + interval '2 seconds', declared_at + interval '2 seconds', declared_at + interval '1 hour',
          case when not is_open then 'Content removed, trend contained.' end, '[]'::jsonb, declared_at, declared_at + interval '1 hour'
        from ${I} i`,
    },
    {
      table: 'incident_roles',
      sql: `insert into incident_roles (incident_id, role, user_id, assigned_by, assigned_at)
        select id, 'commander', commander, declarer, declared_at from ${I} i`,
    },
    {
      table: 'incident_members',
      sql: `insert into incident_members (incident_id, user_id, created_at)
        select id, u, declared_at from ${I} i
        cross join lateral (values (commander), (declarer), (case when is_open and g % 2 = 0 then ${viewer} end)) m(u)
        where is_private and u is not null
        on conflict do nothing`,
    },
    {
      table: 'timeline_entries',
      sql: `insert into timeline_entries (id, incident_id, at, kind, actor_id, text, data, created_at)
        select ${idOf(tag, 'tl', `g * ${SEED_RATIOS.timeline_entries} + k`)}, id, declared_at + make_interval(mins => k * 9),
          kind, case when k % 4 = 0 then declarer else commander end,
          case kind
            when 'declared' then 'Declared ' || severity || ' (' || category || ')'
            when 'role_assigned' then 'Commander handed over'
            when 'status_changed' then 'Status changed'
            else 'Update ' || k || ': checked the queues in three markets, removed the reported items, watching for re-uploads.'
          end,
          case kind when 'role_assigned' then jsonb_build_object('role', 'commander', 'userId', commander) else '{}'::jsonb end,
          declared_at + make_interval(mins => k * 9)
        from ${I} i cross join generate_series(0, ${SEED_RATIOS.timeline_entries - 1}) k
        cross join lateral (select case when k = 0 then 'declared' when k = 3 then 'role_assigned' when k in (6, 12) then 'status_changed'
          when k % 2 = 0 then 'update_posted' else 'note' end as kind) kk`,
    },
    {
      // One per incident, and a second for every other one: 1.5 per incident.
      table: 'incident_clocks',
      sql: `insert into incident_clocks (id, incident_id, label, kind_id, name, source, task, start_kind, started_at, due_at, owner_id,
          state, version, remind_before_minutes, escalate_to, responded_at, responded_by, missed_at, created_at)
        select ${idOf(tag, 'clk', 'g * 2 + c')}, id, lbl, lbl,
          case c when 1 then 'Removal order' else 'Reply to the authority' end, 'regulator', 'Answer the authority',
          'declared', declared_at, declared_at + (case c when 1 then interval '1 hour' else interval '3 days' end), null,
          case when is_open then 'running' when g % 25 = 0 then 'missed' else 'met' end, 1, '[15]'::jsonb, '[]'::jsonb,
          case when not is_open and g % 25 <> 0 then declared_at + interval '40 minutes' end,
          case when not is_open and g % 25 <> 0 then commander end,
          case when not is_open and g % 25 = 0 then declared_at + (case c when 1 then interval '1 hour' else interval '3 days' end) end,
          declared_at
        from ${I} i cross join lateral (values (1, 'eu-tco-removal-order'), (2, 'internal-regulator-reply')) cc(c, lbl)
        where c = 1 or g % 2 = 0`,
    },
    {
      table: 'intake_reports',
      sql: `insert into intake_reports (id, source, external_id, title, summary, category, severity, deadline, reporter, links, priority,
          status, received_at, triage_channel_id, triage_ts, decided_by, decided_at, incident_id, dismiss_reason, created_at)
        select ${idOf(tag, 'rep', 'r')}, case when r % 5 = 0 then 'regulator-portal' else 'partner:safety-ngo' end,
          ${sqlText(`${tag}-`)} || r, 'Report ' || r || ': content flagged by a trusted flagger',
          'Several accounts posting the same material; links attached.', (${cats})[1 + (r * 7) % ${CATEGORIES.length}], 'sev3',
          null, 'flagger-' || (r % 97), '["https://example.org/evidence"]'::jsonb, r % 11 = 0,
          st, at, 'C0TRIAGE01', '1700000000.' || lpad(r::text, 7, '0'),
          case when st <> 'pending' then 'U0TRIAGE01' end, case when st <> 'pending' then at + interval '20 minutes' end,
          case when st in ('declared', 'merged') then ${inc('greatest(1, ceil(r / 3.0)::int)')} end,
          case when st = 'dismissed' then 'Not actionable' end, at
        from generate_series(1, ${per(SEED_RATIOS.intake_reports)}) r
        cross join lateral (select $1::timestamptz - make_interval(secs => (${per(SEED_RATIOS.intake_reports)} - r + 1)::double precision * ${(365 * 86400) / Math.max(per(SEED_RATIOS.intake_reports), 1)}) as at) t
        cross join lateral (select case when r > ${per(SEED_RATIOS.intake_reports) - Math.floor(opts.pendingReports ?? 400)} then 'pending'
          when r % 3 = 0 then 'declared' when r % 3 = 1 then 'merged' else 'dismissed' end as st) s`,
    },
    {
      table: 'follow_up_actions',
      sql: `insert into follow_up_actions (id, incident_id, title, owner_id, team_id, due_at, status, created_by, done_at, created_at)
        select ${idOf(tag, 'fu', 'f')}, i.id, 'Follow-up ' || f || ': tighten the classifier for this pattern',
          case when f % 10 = 0 then ${viewer} else i.commander end, 'policy', i.declared_at + interval '14 days',
          case when i.is_open or f % 4 = 0 then 'open' when f % 9 = 0 then 'wont_do' else 'done' end, i.commander,
          case when not i.is_open and f % 4 <> 0 and f % 9 <> 0 then i.declared_at + interval '10 days' end, i.declared_at
        from generate_series(1, ${per(SEED_RATIOS.follow_up_actions)}) f
        join ${I} i on i.g = greatest(1, ceil(f / ${SEED_RATIOS.follow_up_actions})::int)`,
    },
    {
      table: 'orders',
      sql: `insert into orders (id, incident_id, order_type, legal_basis, issuing_authority, member_state, content_type, territorial_scope,
          language, received_via, received_at, receipt_confirmed_at, effect_given, effect_given_at, recorded_by, created_at)
        select ${idOf(tag, 'ord', 'o')}, i.id, case when o % 3 = 0 then 'information' else 'act' end,
          case when o % 3 = 0 then 'dsa_art10' else 'dsa_art9' end, 'Coimisiún na Meán', (array['IE','FR','DE','NL'])[1 + o % 4],
          (array['illegal_speech','protection_of_minors','scams_fraud','violence'])[1 + o % 4], '["IE"]'::jsonb, 'en', 'point_of_contact',
          i.declared_at, i.declared_at + interval '10 minutes', case when i.is_open then null else 'yes' end,
          case when i.is_open then null else i.declared_at + interval '2 hours' end, i.commander, i.declared_at
        from generate_series(1, ${per(SEED_RATIOS.orders)}) o
        join ${I} i on i.g = o * 10`,
    },
    {
      table: 'escalations',
      sql: `insert into escalations (id, incident_id, policy_id, policy, status, next_step, started_at, acknowledged_at, acknowledged_by, ended_at)
        select ${idOf(tag, 'esc', 'g')}, id, 'urgent', '{"id":"urgent","steps":[]}'::jsonb,
          case when is_open and g % 3 <> 0 then 'active' else 'acknowledged' end, 2, declared_at,
          case when not is_open or g % 3 = 0 then declared_at + interval '6 minutes' end,
          case when not is_open or g % 3 = 0 then commander end, case when not is_open then declared_at + interval '6 minutes' end
        from ${I} i where g % 5 <> 0`,
    },
    {
      // Two steps of one person each for 60% of incidents (those with an escalation): 1.2 pages per incident.
      table: 'pages',
      sql: `insert into pages (id, incident_id, escalation_id, step_number, user_id, reason, paged_at, status, dm_channel_id, dm_ts,
          dm_has_channel, acknowledged_at, user_time_zone)
        select ${idOf(tag, 'pg', 'g * 2 + s')}, id, ${idOf(tag, 'esc', 'g')}, s, h.user_id,
          jsonb_build_object('kind', 'schedule', 'scheduleId', 'tns-follow-the-sun', 'scheduleName', 'Trust & Safety follow-the-sun',
            'layerName', h.name, 'timeZone', h.zone, 'override', false),
          declared_at + make_interval(mins => s * 5),
          case when s = 1 and (not is_open or g % 3 = 0) then 'acknowledged' when s = 0 then 'superseded' else 'sent' end,
          'D' || h.user_id, '1700000000.' || lpad(g::text, 6, '0'), true,
          case when s = 1 and (not is_open or g % 3 = 0) then declared_at + interval '6 minutes' end, h.zone
        from ${I} i cross join generate_series(0, 1) s
        join ${hubs} on h.i = (g + s) % ${HUBS.length}
        where g % 5 in (1, 2, 3)`,
    },
    {
      table: 'incident_search_text',
      sql: `insert into incident_search_text (incident_id, title, body, updated_at)
        select id, lower('seeded incident ' || g || ': ' || category), lower('reports of ' || category || ' content spreading #trend' || (g % 300)), declared_at
        from ${I} i`,
    },
    {
      table: 'legal_holds',
      sql: `insert into legal_holds (id, incident_id, reason, held_by, held_at, until, created_at)
        select ${idOf(tag, 'hold', 'h')}, ${inc('h * 100')}, 'Preservation request',
          'U0LEGAL001', $1::timestamptz - interval '30 days', null, $1::timestamptz - interval '30 days'
        from generate_series(1, ${per(SEED_RATIOS.legal_holds)}) h`,
    },
  ];
}

/** Writes the seed and analyses the tables; returns each table's rows and milliseconds. `sql`: a pool of one connection (session settings). */
export async function seedYear(sql: postgres.Sql, opts: SeedOptions): Promise<{ table: string; rows: number; ms: number }[]> {
  const done: { table: string; rows: number; ms: number }[] = [];
  await sql.unsafe('set synchronous_commit = off');
  // Compiling these big inserts costs seconds and saves nothing.
  await sql.unsafe('set jit = off');
  // Set-based inserts that build a few million rows want memory for their sorts and hashes.
  await sql.unsafe(`set work_mem = '64MB'`);
  // Every child row names an incident the seed wrote: skip the per-row foreign-key checks (superuser only; else they run).
  await sql.unsafe(`do $$ begin set session_replication_role = replica; exception when insufficient_privilege then null; end $$`);
  try {
    for (const step of seedStatements(opts)) {
      const started = performance.now();
      const result = await sql.unsafe(step.sql, [opts.now.toISOString()]);
      done.push({ table: step.table, rows: result.count, ms: Math.round(performance.now() - started) });
    }
  } finally {
    // The connection goes back to its caller as it was: triggers on (a later insert's defaults need them).
    await sql.unsafe('reset session_replication_role; reset work_mem; reset jit; reset synchronous_commit');
  }
  // The serial behind `number` (INC-n) goes on after the seeded ones.
  await sql.unsafe(`select setval(pg_get_serial_sequence('incidents', 'number'), (select max(number) from incidents))`);
  await sql.unsafe('analyze');
  return done;
}

async function main(): Promise<void> {
  const [url, count, ...rest] = process.argv.slice(2);
  if (!url) {
    console.error('usage: tsx bench/seed-year.ts <database-url> [incidents=100000] [--now=ISO]');
    process.exit(2);
  }
  const nowArg = rest.find((a) => a.startsWith('--now='))?.slice('--now='.length);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const started = performance.now();
    const done = await seedYear(sql, { incidents: Number(count ?? 100_000), now: nowArg ? new Date(nowArg) : new Date() });
    for (const d of done) console.log(`${d.table.padEnd(22)} ${String(d.rows).padStart(9)} rows  ${String(d.ms).padStart(7)} ms`);
    console.log(`total ${Math.round(performance.now() - started)} ms`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
