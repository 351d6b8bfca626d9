CREATE TABLE "held_texts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"text" text NOT NULL,
	"owners" jsonb NOT NULL,
	"redacted_by" text,
	"redacted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "held_texts" ADD CONSTRAINT "held_texts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "held_texts_incident_idx" ON "held_texts" USING btree ("incident_id");