-- A private incident's clocks are counted but never named (docs/analytics.md): a typed clock's
-- name and source are free text ("NCMEC report for victim ..."), so they read "(private)" here,
-- as incident_metrics does for the title. Same columns, same order, so CREATE OR REPLACE keeps
-- the analyst role's grant.
CREATE OR REPLACE VIEW "deadline_outcomes" AS
SELECT
  c.id AS clock_id,
  i.number AS incident_number,
  c.incident_id,
  i.is_private AS private,
  c.kind_id,
  CASE WHEN i.is_private THEN '(private)' ELSE c.name END AS name,
  CASE WHEN i.is_private THEN '(private)' ELSE c.source END AS source,
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
