CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"held_by" text NOT NULL,
	"held_at" timestamp with time zone NOT NULL,
	"until" timestamp with time zone,
	"released_at" timestamp with time zone,
	"released_by" text,
	"release_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retention_purges" (
	"incident_id" uuid PRIMARY KEY NOT NULL,
	"purged_at" timestamp with time zone NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_purges" ADD CONSTRAINT "retention_purges_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "legal_holds_incident_idx" ON "legal_holds" USING btree ("incident_id");--> statement-breakpoint
-- custom SQL (keep when renumbering)
-- The audit log is append-only for every role that is not its owner's superuser bypass: a row,
-- once written, is never changed or removed (issue 24). A trigger works on PGlite as on Postgres;
-- an incident's deletion still clears its id (the foreign key's SET NULL), the only change allowed.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.incident_id IS NULL AND OLD.incident_id IS NOT NULL
     AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action AND NEW.outcome = OLD.outcome
     AND NEW.details = OLD.details AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
     AND NOT EXISTS (SELECT 1 FROM incidents WHERE id = OLD.incident_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
