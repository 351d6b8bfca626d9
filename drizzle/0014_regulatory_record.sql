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
CREATE UNIQUE INDEX "orders_intake_report_uq" ON "orders" USING btree ("intake_report_id");--> statement-breakpoint
-- custom SQL (keep when renumbering)
-- The analysts' view of orders (docs/regulatory-record.md): typed fields only, never the
-- incident's title; receipt and effect times as typed (the transparency report also takes them
-- from the incident's answered clocks, by the config's regulatory: kinds).
CREATE VIEW "order_record" AS
SELECT
  o.id AS order_id,
  i.number AS incident_number,
  i.is_private AS private,
  o.order_type,
  o.legal_basis,
  o.issuing_authority,
  o.member_state,
  o.other_jurisdiction,
  o.content_type,
  o.territorial_scope,
  o.language,
  o.received_via,
  o.received_at,
  o.receipt_confirmed_at,
  o.effect_given,
  o.effect_reason,
  o.effect_given_at,
  extract(epoch from (o.receipt_confirmed_at - o.received_at))::bigint AS time_to_confirm_receipt_s,
  extract(epoch from (o.effect_given_at - o.received_at))::bigint AS time_to_give_effect_s
FROM "orders" o
JOIN "incidents" i ON i.id = o.incident_id;
