CREATE TABLE "duty_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"clock_id" uuid NOT NULL,
	"deadline_id" text NOT NULL,
	"source" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_holds_clock_id_unique" UNIQUE("clock_id")
);
--> statement-breakpoint
ALTER TABLE "held_texts" ADD COLUMN "target" text DEFAULT 'entry' NOT NULL;--> statement-breakpoint
ALTER TABLE "duty_holds" ADD CONSTRAINT "duty_holds_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duty_holds_incident_idx" ON "duty_holds" USING btree ("incident_id");