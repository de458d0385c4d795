CREATE TABLE "session_leader" (
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"led" boolean DEFAULT true NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by_user_id" text,
	CONSTRAINT "session_leader_group_id_occurrence_start_user_id_pk" PRIMARY KEY("group_id","occurrence_start","user_id"),
	CONSTRAINT "session_leader_kind_check" CHECK ("session_leader"."kind" in ('leader','co_leader'))
);
--> statement-breakpoint
CREATE TABLE "session_notice" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurrence_start" timestamp with time zone,
	"start_date" text,
	"end_date" text,
	"created_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_notice_kind_check" CHECK ("session_notice"."kind" in ('cancelled','changed','link_changed','paused','resumed'))
);
--> statement-breakpoint
CREATE TABLE "session_notice_recipient" (
	"notice_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"mail_message_id" uuid,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_notice_recipient_notice_id_user_id_pk" PRIMARY KEY("notice_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "session_leader" ADD CONSTRAINT "session_leader_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_leader" ADD CONSTRAINT "session_leader_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_leader" ADD CONSTRAINT "session_leader_recorded_by_user_id_user_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notice" ADD CONSTRAINT "session_notice_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notice" ADD CONSTRAINT "session_notice_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notice_recipient" ADD CONSTRAINT "session_notice_recipient_notice_id_session_notice_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."session_notice"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notice_recipient" ADD CONSTRAINT "session_notice_recipient_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_leader_user_idx" ON "session_leader" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "session_notice_group_idx" ON "session_notice" USING btree ("group_id","created_at");--> statement-breakpoint
-- Backfill: meetings whose attendance was recorded before this table existed are credited to the
-- group's leaders of today (what participation reported until now); leaders can correct them.
INSERT INTO "session_leader" ("group_id", "occurrence_start", "user_id", "kind", "led", "recorded_at", "recorded_by_user_id")
SELECT a."group_id", a."occurrence_start", gl."user_id", gl."kind", true, min(a."recorded_at"), NULL
FROM "session_attendance" a
JOIN "group_leader" gl ON gl."group_id" = a."group_id"
GROUP BY a."group_id", a."occurrence_start", gl."user_id", gl."kind"
ON CONFLICT DO NOTHING;
