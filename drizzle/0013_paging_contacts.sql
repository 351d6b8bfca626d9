CREATE TABLE "contact_methods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"address" text NOT NULL,
	"verified_at" timestamp with time zone,
	"verify_code_hash" text,
	"verify_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_rules" (
	"user_id" text NOT NULL,
	"position" integer NOT NULL,
	"after_minutes" double precision NOT NULL,
	"method" text NOT NULL,
	CONSTRAINT "notification_rules_user_id_position_pk" PRIMARY KEY("user_id","position")
);
--> statement-breakpoint
CREATE TABLE "page_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"page_id" uuid NOT NULL,
	"rule_index" integer NOT NULL,
	"user_id" text NOT NULL,
	"method" text NOT NULL,
	"address" text NOT NULL,
	"reply_code" integer NOT NULL,
	"status" text DEFAULT 'sending' NOT NULL,
	"intent_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"provider_ref" text,
	"error" text,
	"link_used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "page_notifications" ADD CONSTRAINT "page_notifications_page_id_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_methods_user_kind_uq" ON "contact_methods" USING btree ("user_id","kind");--> statement-breakpoint
CREATE INDEX "contact_methods_address_idx" ON "contact_methods" USING btree ("address");--> statement-breakpoint
CREATE UNIQUE INDEX "page_notifications_rule_uq" ON "page_notifications" USING btree ("page_id","rule_index");--> statement-breakpoint
CREATE INDEX "page_notifications_user_idx" ON "page_notifications" USING btree ("user_id","reply_code");