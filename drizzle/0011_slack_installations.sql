CREATE TABLE "slack_installations" (
	"install_key" text PRIMARY KEY NOT NULL,
	"enterprise_id" text,
	"team_id" text,
	"is_enterprise_install" boolean NOT NULL,
	"bot_user_id" text,
	"bot_scopes" text DEFAULT '' NOT NULL,
	"installation" text NOT NULL,
	"installed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "slack_revoked_workspaces" (
	"team_id" text PRIMARY KEY NOT NULL,
	"enterprise_id" text,
	"revoked_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "scheduled_actions" ADD COLUMN "team_id" text;--> statement-breakpoint
ALTER TABLE "scheduled_actions" ADD COLUMN "enterprise_id" text;--> statement-breakpoint
CREATE INDEX "slack_installations_team_idx" ON "slack_installations" USING btree ("team_id") WHERE "slack_installations"."revoked_at" is null;