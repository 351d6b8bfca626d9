CREATE TABLE "slack_join_notices" (
	"channel_id" text NOT NULL,
	"user_id" text NOT NULL,
	"told_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_join_notices_channel_id_user_id_pk" PRIMARY KEY("channel_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "slack_routing_workspaces" (
	"kind" text NOT NULL,
	"slack_id" text NOT NULL,
	"team_id" text NOT NULL,
	"learned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_routing_workspaces_kind_slack_id_pk" PRIMARY KEY("kind","slack_id")
);
