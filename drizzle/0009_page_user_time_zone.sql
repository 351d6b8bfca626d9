ALTER TABLE "pages" ADD COLUMN "user_time_zone" text;--> statement-breakpoint

-- A person paged outside any rotation (a user or user-group target) is read in their own Slack
-- time zone, stored with the page: out of hours in their zone, and the hub of the first layer in
-- that zone. Before, they were read in UTC and counted under "No hub".
CREATE OR REPLACE VIEW "page_log" AS
SELECT
  p.id AS page_id,
  i.number AS incident_number,
  p.incident_id,
  p.user_id,
  p.paged_at,
  p.step_number,
  p.reason ->> 'kind' AS reason,
  coalesce(p.reason ->> 'layerName', rh.hub, zh.hub) AS layer,
  z.time_zone,
  p.status,
  (p.acknowledged_at IS NOT NULL OR p.status = 'acknowledged') AS acknowledged,
  p.acknowledged_at,
  (extract(isodow FROM t.local_at) > 5 OR t.local_at::time < time '09:00' OR t.local_at::time >= time '18:00') AS out_of_hours
FROM "pages" p
JOIN "incidents" i ON i.id = p.incident_id
LEFT JOIN "responder_hubs" rh ON rh.user_id = p.user_id
LEFT JOIN LATERAL (
  SELECT l.layer ->> 'name' AS hub
  FROM "schedules" s
  CROSS JOIN LATERAL jsonb_array_elements(s.layers) WITH ORDINALITY AS l(layer, ord)
  WHERE p.user_time_zone IS NOT NULL AND l.layer ->> 'timeZone' = p.user_time_zone
  ORDER BY s.id, l.ord
  LIMIT 1
) zh ON true
CROSS JOIN LATERAL (SELECT coalesce(p.reason ->> 'timeZone', rh.time_zone, p.user_time_zone, 'UTC') AS time_zone) z
CROSS JOIN LATERAL (SELECT p.paged_at AT TIME ZONE z.time_zone AS local_at) t;
