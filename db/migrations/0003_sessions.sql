CREATE TABLE "session_attendance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"recorded_by_user_id" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_attendance_status_check" CHECK ("session_attendance"."status" in ('present','absent','excused'))
);
--> statement-breakpoint
CREATE TABLE "session_attendance_change" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"user_id" text NOT NULL,
	"previous_status" text,
	"status" text NOT NULL,
	"recorded_by_user_id" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_feed" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "group_pause" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"start_date" text NOT NULL,
	"end_date" text NOT NULL,
	"created_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_pause_order_check" CHECK ("group_pause"."start_date" <= "group_pause"."end_date")
);
--> statement-breakpoint
CREATE TABLE "session_reminder_plan_slot" (
	"slot" bigint PRIMARY KEY NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_reminder_preference" (
	"user_id" text PRIMARY KEY NOT NULL,
	"offsets_minutes" integer[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_reminder_sent" (
	"user_id" text NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"offset_minutes" integer NOT NULL,
	"mail_message_id" uuid,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_reminder_sent_user_id_group_id_occurrence_start_offset_minutes_pk" PRIMARY KEY("user_id","group_id","occurrence_start","offset_minutes")
);
--> statement-breakpoint
CREATE TABLE "session_rsvp" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_rsvp_status_check" CHECK ("session_rsvp"."status" in ('going','not_going')),
	CONSTRAINT "session_rsvp_note_length" CHECK ("session_rsvp"."note" is null or char_length("session_rsvp"."note") <= 280)
);
--> statement-breakpoint
CREATE TABLE "session_exception" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"new_start" timestamp with time zone,
	"duration_minutes" integer,
	"meeting_link" text,
	"reason" text DEFAULT 'other' NOT NULL,
	"changed_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_exception_kind_check" CHECK ("session_exception"."kind" in ('cancelled','changed')),
	CONSTRAINT "session_exception_duration_check" CHECK ("session_exception"."duration_minutes" is null or "session_exception"."duration_minutes" between 30 and 240)
);
--> statement-breakpoint
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_recorded_by_user_id_user_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance_change" ADD CONSTRAINT "session_attendance_change_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance_change" ADD CONSTRAINT "session_attendance_change_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance_change" ADD CONSTRAINT "session_attendance_change_recorded_by_user_id_user_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feed" ADD CONSTRAINT "calendar_feed_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_pause" ADD CONSTRAINT "group_pause_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_pause" ADD CONSTRAINT "group_pause_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_reminder_preference" ADD CONSTRAINT "session_reminder_preference_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_reminder_sent" ADD CONSTRAINT "session_reminder_sent_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_reminder_sent" ADD CONSTRAINT "session_reminder_sent_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_rsvp" ADD CONSTRAINT "session_rsvp_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_rsvp" ADD CONSTRAINT "session_rsvp_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_exception" ADD CONSTRAINT "session_exception_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_exception" ADD CONSTRAINT "session_exception_changed_by_user_id_user_id_fk" FOREIGN KEY ("changed_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "session_attendance_key" ON "session_attendance" USING btree ("group_id","occurrence_start","user_id");--> statement-breakpoint
CREATE INDEX "session_attendance_user_idx" ON "session_attendance" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "session_attendance_change_idx" ON "session_attendance_change" USING btree ("group_id","occurrence_start","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feed_token_key" ON "calendar_feed" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feed_active_key" ON "calendar_feed" USING btree ("user_id") WHERE "calendar_feed"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "group_pause_group_idx" ON "group_pause" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "session_reminder_sent_group_idx" ON "session_reminder_sent" USING btree ("group_id","occurrence_start");--> statement-breakpoint
CREATE UNIQUE INDEX "session_rsvp_key" ON "session_rsvp" USING btree ("group_id","occurrence_start","user_id");--> statement-breakpoint
CREATE INDEX "session_rsvp_user_idx" ON "session_rsvp" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "session_exception_group_start_key" ON "session_exception" USING btree ("group_id","occurrence_start");