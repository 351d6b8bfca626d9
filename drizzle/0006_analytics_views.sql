-- Views for analysts (docs/analytics.md). Plain SQL that runs on Postgres 15 and on PGlite.
-- Private incidents are counted but never named: their title reads "(private)" here too.

-- The hub of each person on a rotation: the first layer (schedule id order, then layer order) that lists them.
CREATE VIEW "responder_hubs" AS
SELECT DISTINCT ON (m.user_id)
  m.user_id,
  l.layer ->> 'name' AS hub,
  l.layer ->> 'timeZone' AS time_zone
FROM "schedules" s
CROSS JOIN LATERAL jsonb_array_elements(s.layers) WITH ORDINALITY AS l(layer, ord)
CROSS JOIN LATERAL jsonb_array_elements_text(l.layer -> 'rotation' -> 'members') AS m(user_id)
ORDER BY m.user_id, s.id, l.ord;
--> statement-breakpoint

-- Every page: who, when, which layer (hub), acknowledged or not, and whether it came out of hours
-- (outside 09:00-18:00 Monday to Friday in the hub's own zone; a page with no hub is read in UTC).
CREATE VIEW "page_log" AS
SELECT
  p.id AS page_id,
  i.number AS incident_number,
  p.incident_id,
  p.user_id,
  p.paged_at,
  p.step_number,
  p.reason ->> 'kind' AS reason,
  coalesce(p.reason ->> 'layerName', rh.hub) AS layer,
  z.time_zone,
  p.status,
  (p.acknowledged_at IS NOT NULL OR p.status = 'acknowledged') AS acknowledged,
  p.acknowledged_at,
  (extract(isodow FROM t.local_at) > 5 OR t.local_at::time < time '09:00' OR t.local_at::time >= time '18:00') AS out_of_hours
FROM "pages" p
JOIN "incidents" i ON i.id = p.incident_id
LEFT JOIN "responder_hubs" rh ON rh.user_id = p.user_id
CROSS JOIN LATERAL (SELECT coalesce(p.reason ->> 'timeZone', rh.time_zone, 'UTC') AS time_zone) z
CROSS JOIN LATERAL (SELECT p.paged_at AT TIME ZONE z.time_zone AS local_at) t;
--> statement-breakpoint

-- One row per incident: the figures of the CSV export (GET /api/incidents.csv), same names.
-- Durations in whole seconds from the declaration, never negative, null when it did not happen.
-- mitigated_at: an incident resolved without a mitigation phase was mitigated when it was resolved.
-- The deadline columns come from the incident's earliest clock (by start, then due instant).
CREATE VIEW "incident_metrics" AS
SELECT
  i.id AS incident_id,
  i.number,
  CASE WHEN i.is_private THEN '(private)' ELSE i.title END AS title,
  i.severity,
  i.category,
  i.is_private AS private,
  i.status,
  i.declared_at,
  coalesce(i.acknowledged_at, fa.first_acknowledged_at) AS acknowledged_at,
  coalesce(i.mitigated_at, i.resolved_at) AS mitigated_at,
  i.resolved_at,
  i.closed_at,
  CASE WHEN coalesce(i.acknowledged_at, fa.first_acknowledged_at) IS NOT NULL THEN floor(greatest(0, extract(epoch FROM coalesce(i.acknowledged_at, fa.first_acknowledged_at) - i.declared_at)))::bigint END AS time_to_acknowledge_s,
  CASE WHEN coalesce(i.mitigated_at, i.resolved_at) IS NOT NULL THEN floor(greatest(0, extract(epoch FROM coalesce(i.mitigated_at, i.resolved_at) - i.declared_at)))::bigint END AS time_to_mitigate_s,
  CASE WHEN i.resolved_at IS NOT NULL THEN floor(greatest(0, extract(epoch FROM i.resolved_at - i.declared_at)))::bigint END AS time_to_resolve_s,
  c.due_at AS deadline_at,
  c.responded_at,
  CASE
    WHEN c.id IS NULL THEN NULL
    WHEN c.responded_at IS NOT NULL THEN c.responded_at <= c.due_at
    WHEN c.missed_at IS NOT NULL OR c.state = 'missed' THEN false
    ELSE NULL
  END AS deadline_met,
  i.commander_id AS commander,
  coalesce(fp.layer, dh.hub) AS hub
FROM "incidents" i
LEFT JOIN LATERAL (
  SELECT min(p.acknowledged_at) AS first_acknowledged_at FROM "pages" p WHERE p.incident_id = i.id
) fa ON true
LEFT JOIN LATERAL (
  SELECT pl.layer FROM "page_log" pl WHERE pl.incident_id = i.id ORDER BY pl.paged_at, pl.step_number, pl.user_id LIMIT 1
) fp ON true
LEFT JOIN "responder_hubs" dh ON dh.user_id = i.declared_by
LEFT JOIN LATERAL (
  SELECT * FROM "incident_clocks" ic WHERE ic.incident_id = i.id ORDER BY ic.started_at, ic.due_at, ic.id LIMIT 1
) c ON true;
--> statement-breakpoint

-- Every response clock and how it ended: met (answered by its due instant), missed, or still running (met is null).
CREATE VIEW "deadline_outcomes" AS
SELECT
  c.id AS clock_id,
  i.number AS incident_number,
  c.incident_id,
  i.is_private AS private,
  c.kind_id,
  c.name,
  c.source,
  c.start_kind,
  c.started_at,
  c.due_at,
  c.state,
  c.responded_at,
  c.missed_at,
  CASE
    WHEN c.responded_at IS NOT NULL THEN c.responded_at <= c.due_at
    WHEN c.missed_at IS NOT NULL OR c.state = 'missed' THEN false
    ELSE NULL
  END AS met,
  CASE WHEN c.responded_at > c.due_at THEN floor(extract(epoch FROM c.responded_at - c.due_at))::bigint END AS late_by_s
FROM "incident_clocks" c
JOIN "incidents" i ON i.id = c.incident_id;
