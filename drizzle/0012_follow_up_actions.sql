CREATE TABLE "follow_up_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" serial NOT NULL,
	"incident_id" uuid NOT NULL,
	"title" text NOT NULL,
	"owner_id" text NOT NULL,
	"team_id" text,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reason" text,
	"created_by" text NOT NULL,
	"done_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"export_state" text DEFAULT 'none' NOT NULL,
	"tracker_key" text,
	"tracker_url" text,
	"submission_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_up_actions_number_unique" UNIQUE("number"),
	CONSTRAINT "follow_up_actions_submission_key_unique" UNIQUE("submission_key")
);
--> statement-breakpoint
ALTER TABLE "follow_up_actions" ADD CONSTRAINT "follow_up_actions_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_actions_incident_idx" ON "follow_up_actions" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "follow_up_actions_open_owner_idx" ON "follow_up_actions" USING btree ("owner_id","due_at") WHERE "follow_up_actions"."status" = 'open';