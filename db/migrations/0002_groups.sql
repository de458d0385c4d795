CREATE TABLE "balint_group" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"format" text NOT NULL,
	"address" text,
	"meeting_link" text,
	"disciplines" text[] DEFAULT '{}'::text[] NOT NULL,
	"languages" text[] NOT NULL,
	"time_zone" text NOT NULL,
	"rrule" text NOT NULL,
	"dtstart_local" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"first_duration_minutes" integer,
	"weekdays" integer[] DEFAULT '{}'::int[] NOT NULL,
	"local_start_minute" integer NOT NULL,
	"last_meeting_ends_at" timestamp with time zone NOT NULL,
	"capacity" integer DEFAULT 10 NOT NULL,
	"ce_credit" text,
	"visibility" text DEFAULT 'listed' NOT NULL,
	"join_policy" text DEFAULT 'request' NOT NULL,
	"term" integer DEFAULT 1 NOT NULL,
	"term_ended_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(description, ''))) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "balint_group_capacity_check" CHECK ("balint_group"."capacity" between 3 and 15),
	CONSTRAINT "balint_group_format_check" CHECK ("balint_group"."format" in ('in_person','online','hybrid')),
	CONSTRAINT "balint_group_visibility_check" CHECK ("balint_group"."visibility" in ('listed','unlisted','private')),
	CONSTRAINT "balint_group_join_policy_check" CHECK ("balint_group"."join_policy" in ('request','invitation'))
);
--> statement-breakpoint
CREATE TABLE "group_leader" (
	"group_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_leader_group_id_user_id_pk" PRIMARY KEY("group_id","user_id"),
	CONSTRAINT "group_leader_kind_check" CHECK ("group_leader"."kind" in ('leader','co_leader'))
);
--> statement-breakpoint
CREATE TABLE "group_membership" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"request_note" text,
	"term" integer DEFAULT 1 NOT NULL,
	"agreement_accepted_at" timestamp with time zone,
	"decided_by_user_id" text,
	"decided_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_membership_status_check" CHECK ("group_membership"."status" in ('pending','active','declined','left','removed')),
	CONSTRAINT "group_membership_note_length" CHECK ("group_membership"."request_note" is null or char_length("group_membership"."request_note") <= 280)
);
--> statement-breakpoint
CREATE TABLE "group_waitlist" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"position" integer NOT NULL,
	"offered_at" timestamp with time zone,
	"offer_expires_at" timestamp with time zone,
	"reorder_reason" text,
	"reorder_note" text,
	"reordered_by_user_id" text,
	"reordered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_waitlist_note_length" CHECK ("group_waitlist"."reorder_note" is null or char_length("group_waitlist"."reorder_note") <= 200)
);
--> statement-breakpoint
ALTER TABLE "balint_group" ADD CONSTRAINT "balint_group_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_leader" ADD CONSTRAINT "group_leader_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_leader" ADD CONSTRAINT "group_leader_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_membership" ADD CONSTRAINT "group_membership_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_membership" ADD CONSTRAINT "group_membership_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_membership" ADD CONSTRAINT "group_membership_decided_by_user_id_user_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_waitlist" ADD CONSTRAINT "group_waitlist_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_waitlist" ADD CONSTRAINT "group_waitlist_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_waitlist" ADD CONSTRAINT "group_waitlist_reordered_by_user_id_user_id_fk" FOREIGN KEY ("reordered_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "balint_group_org_slug_key" ON "balint_group" USING btree ("organisation_id","slug");--> statement-breakpoint
CREATE INDEX "balint_group_org_idx" ON "balint_group" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "balint_group_directory_idx" ON "balint_group" USING btree ("name","id") WHERE "balint_group"."visibility" = 'listed' and "balint_group"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "balint_group_languages_gin" ON "balint_group" USING gin ("languages");--> statement-breakpoint
CREATE INDEX "balint_group_disciplines_gin" ON "balint_group" USING gin ("disciplines");--> statement-breakpoint
CREATE INDEX "balint_group_search_gin" ON "balint_group" USING gin ("search");--> statement-breakpoint
CREATE INDEX "group_leader_user_idx" ON "group_leader" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_membership_open_key" ON "group_membership" USING btree ("group_id","user_id") WHERE "group_membership"."status" in ('pending','active');--> statement-breakpoint
CREATE INDEX "group_membership_active_idx" ON "group_membership" USING btree ("group_id") WHERE "group_membership"."status" = 'active';--> statement-breakpoint
CREATE INDEX "group_membership_user_idx" ON "group_membership" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_waitlist_group_user_key" ON "group_waitlist" USING btree ("group_id","user_id");--> statement-breakpoint
CREATE INDEX "group_waitlist_group_position_idx" ON "group_waitlist" USING btree ("group_id","position");