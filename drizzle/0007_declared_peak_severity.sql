-- Reports count a declaration by the severity it was declared at (and the worst it reached), not
-- the current one: lowering SEV1 to SEV2 must not move the incident out of SEV1's count.
ALTER TABLE "incidents" ADD COLUMN "declared_severity" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "peak_severity" text;--> statement-breakpoint
-- Existing incidents: declared at the "from" of their first severity change, else at the current one;
-- the peak is the worst of every severity the timeline shows (sev1 < sev2 < ... as text, worst first).
UPDATE "incidents" i SET "declared_severity" = coalesce(
  (SELECT t.data->>'from' FROM "timeline_entries" t WHERE t.incident_id = i.id AND t.kind = 'severity_changed' ORDER BY t.at, t.id LIMIT 1),
  i.severity
);--> statement-breakpoint
UPDATE "incidents" i SET "peak_severity" = least(
  i.severity,
  i.declared_severity,
  coalesce((SELECT min(t.data->>'to') FROM "timeline_entries" t WHERE t.incident_id = i.id AND t.kind = 'severity_changed'), i.severity)
);--> statement-breakpoint
ALTER TABLE "incidents" ALTER COLUMN "declared_severity" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ALTER COLUMN "peak_severity" SET NOT NULL;--> statement-breakpoint
-- Every insert that does not say otherwise (tests' fixtures, imports) is declared at its severity.
CREATE FUNCTION "incidents_severity_defaults"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.declared_severity := coalesce(NEW.declared_severity, NEW.severity);
  NEW.peak_severity := coalesce(NEW.peak_severity, NEW.severity);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "incidents_severity_defaults" BEFORE INSERT ON "incidents"
  FOR EACH ROW EXECUTE FUNCTION "incidents_severity_defaults"();--> statement-breakpoint
-- incident_metrics gains both (appended: the columns before them keep their place).
CREATE OR REPLACE VIEW "incident_metrics" AS
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
  coalesce(fp.layer, dh.hub) AS hub,
  i.declared_severity,
  i.peak_severity
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
