CREATE TABLE "intake_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"category" text,
	"severity" text,
	"deadline" timestamp with time zone,
	"reporter" text,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"priority" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"triage_channel_id" text,
	"triage_ts" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"incident_id" uuid,
	"dismiss_reason" text,
	"incident_posted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intake_reports" ADD CONSTRAINT "intake_reports_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "intake_reports_source_external_uq" ON "intake_reports" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "intake_reports_pending_idx" ON "intake_reports" USING btree ("received_at") WHERE "intake_reports"."status" = 'pending';