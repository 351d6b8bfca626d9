CREATE TABLE "incident_links" (
	"incident_id" uuid NOT NULL,
	"linked_incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_links_incident_id_linked_incident_id_pk" PRIMARY KEY("incident_id","linked_incident_id"),
	CONSTRAINT "incident_links_not_self" CHECK ("incident_links"."incident_id" <> "incident_links"."linked_incident_id"),
	CONSTRAINT "incident_links_kind" CHECK ("incident_links"."kind" in ('related','duplicate','caused-by'))
);
--> statement-breakpoint
CREATE TABLE "incident_search_text" (
	"incident_id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_reviews" (
	"incident_id" uuid PRIMARY KEY NOT NULL,
	"template" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"owner_id" text NOT NULL,
	"due_at" timestamp with time zone,
	"canvas_id" text,
	"markdown" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_reviews_status" CHECK ("incident_reviews"."status" in ('draft','in-review','published'))
);
--> statement-breakpoint
ALTER TABLE "incident_links" ADD CONSTRAINT "incident_links_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_links" ADD CONSTRAINT "incident_links_linked_incident_id_incidents_id_fk" FOREIGN KEY ("linked_incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_search_text" ADD CONSTRAINT "incident_search_text_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_reviews" ADD CONSTRAINT "incident_reviews_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_links_linked_idx" ON "incident_links" USING btree ("linked_incident_id");--> statement-breakpoint
-- custom SQL (keep when renumbering)
-- "Seen before" scores earlier incidents with trigram similarity (a trusted extension: the
-- database owner may create it; PGlite loads it from @electric-sql/pglite/contrib/pg_trgm).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "incident_search_text_title_trgm" ON "incident_search_text" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "incident_search_text_body_trgm" ON "incident_search_text" USING gin ("body" gin_trgm_ops);--> statement-breakpoint
-- Incidents declared before this migration: their text lower-cased as it is (the app transliterates new ones).
INSERT INTO "incident_search_text" ("incident_id", "title", "body")
SELECT id,
  trim(regexp_replace(lower(title), '[^a-z0-9]+', ' ', 'g')),
  trim(regexp_replace(lower(title || ' ' || summary), '[^a-z0-9]+', ' ', 'g'))
FROM "incidents"
ON CONFLICT DO NOTHING;
