CREATE TABLE "crisis_activations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"protocol_id" text NOT NULL,
	"protocol_name" text NOT NULL,
	"activated_at" timestamp with time zone NOT NULL,
	"activated_by" text NOT NULL,
	"concluded_at" timestamp with time zone,
	"concluded_by" text,
	"hashes_contributed" integer DEFAULT 0 NOT NULL,
	"told" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ncmec_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"report_id" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"incident_type" text NOT NULL,
	"high_priority_reason" text,
	"annotations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"packet" jsonb NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ncmec_reports_report_id_unique" UNIQUE("report_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"order_type" text NOT NULL,
	"legal_basis" text NOT NULL,
	"issuing_authority" text NOT NULL,
	"member_state" text,
	"other_jurisdiction" text,
	"content_type" text NOT NULL,
	"territorial_scope" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"language" text,
	"received_via" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"receipt_confirmed_at" timestamp with time zone,
	"effect_given" text,
	"effect_reason" text,
	"effect_given_at" timestamp with time zone,
	"recorded_by" text NOT NULL,
	"intake_report_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intake_reports" ADD COLUMN "order_details" jsonb;--> statement-breakpoint
ALTER TABLE "crisis_activations" ADD CONSTRAINT "crisis_activations_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncmec_reports" ADD CONSTRAINT "ncmec_reports_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "crisis_activations_incident_idx" ON "crisis_activations" USING btree ("incident_id","protocol_id");--> statement-breakpoint
CREATE INDEX "orders_incident_idx" ON "orders" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "orders_received_idx" ON "orders" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_intake_report_uq" ON "orders" USING btree ("intake_report_id");