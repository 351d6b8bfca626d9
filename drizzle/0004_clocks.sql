CREATE TABLE "incident_clocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"label" text NOT NULL,
	"kind_id" text,
	"name" text NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"task" text DEFAULT '' NOT NULL,
	"start_kind" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"owner_id" text,
	"state" text DEFAULT 'running' NOT NULL,
	"paused_at" timestamp with time zone,
	"pause_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"remind_before_minutes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"escalate_to" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"responded_at" timestamp with time zone,
	"responded_by" text,
	"response_note" text,
	"missed_at" timestamp with time zone,
	"miss_progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_clocks" ADD CONSTRAINT "incident_clocks_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "incident_clocks_label_uq" ON "incident_clocks" USING btree ("incident_id","label");--> statement-breakpoint
CREATE INDEX "incident_clocks_open_idx" ON "incident_clocks" USING btree ("due_at") WHERE "incident_clocks"."state" in ('running','paused');