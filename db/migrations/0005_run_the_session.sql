CREATE TABLE "facilitation_settings" (
	"group_id" uuid PRIMARY KEY NOT NULL,
	"phase_minutes" jsonb NOT NULL,
	"ground_rules" text,
	"soft_sound" integer DEFAULT 0 NOT NULL,
	"updated_by_user_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "facilitation_settings_ground_rules_length" CHECK ("facilitation_settings"."ground_rules" is null or char_length("facilitation_settings"."ground_rules") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "meeting_presenter" (
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"case_number" integer NOT NULL,
	"user_id" text NOT NULL,
	"recorded_by_user_id" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_presenter_group_id_occurrence_start_case_number_pk" PRIMARY KEY("group_id","occurrence_start","case_number"),
	CONSTRAINT "meeting_presenter_case_check" CHECK ("meeting_presenter"."case_number" between 1 and 3)
);
--> statement-breakpoint
CREATE TABLE "meeting_run" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"clock" jsonb NOT NULL,
	"opened_by_user_id" text,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_answer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"safe_to_speak" smallint NOT NULL,
	"felt_heard" smallint NOT NULL,
	"see_differently" smallint NOT NULL,
	"values" text[] DEFAULT '{}'::text[] NOT NULL,
	"comment" text,
	CONSTRAINT "feedback_answer_scale_check" CHECK ("feedback_answer"."safe_to_speak" between 1 and 5 and "feedback_answer"."felt_heard" between 1 and 5 and "feedback_answer"."see_differently" between 1 and 5),
	CONSTRAINT "feedback_answer_comment_length" CHECK ("feedback_answer"."comment" is null or char_length("feedback_answer"."comment") <= 500)
);
--> statement-breakpoint
CREATE TABLE "feedback_bin" (
	"group_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"seq" integer NOT NULL,
	"from_occurrence" timestamp with time zone NOT NULL,
	"to_occurrence" timestamp with time zone NOT NULL,
	"responses" integer NOT NULL,
	"min_cell" integer NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_bin_group_id_kind_seq_pk" PRIMARY KEY("group_id","kind","seq"),
	CONSTRAINT "feedback_bin_kind_check" CHECK ("feedback_bin"."kind" in ('scores','comments')),
	CONSTRAINT "feedback_bin_threshold_check" CHECK ("feedback_bin"."min_cell" >= 5 and "feedback_bin"."responses" >= "feedback_bin"."min_cell")
);
--> statement-breakpoint
CREATE TABLE "feedback_nullifier" (
	"nullifier" text PRIMARY KEY NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "debrief_completion" (
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"user_id" text NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "debrief_completion_group_id_occurrence_start_user_id_pk" PRIMARY KEY("group_id","occurrence_start","user_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_debrief" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"body_sealed" text NOT NULL,
	"key_version" integer NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"updated_by_user_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"attached_to_supervision_at" timestamp with time zone,
	"attached_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation_data_key" (
	"organisation_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"wrapped" text NOT NULL,
	"master_key_id" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rewrapped_at" timestamp with time zone,
	CONSTRAINT "organisation_data_key_organisation_id_version_pk" PRIMARY KEY("organisation_id","version"),
	CONSTRAINT "organisation_data_key_status_check" CHECK ("organisation_data_key"."status" in ('active','retired')),
	CONSTRAINT "organisation_data_key_version_check" CHECK ("organisation_data_key"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "facilitation_settings" ADD CONSTRAINT "facilitation_settings_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilitation_settings" ADD CONSTRAINT "facilitation_settings_updated_by_user_id_user_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_presenter" ADD CONSTRAINT "meeting_presenter_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_presenter" ADD CONSTRAINT "meeting_presenter_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_presenter" ADD CONSTRAINT "meeting_presenter_recorded_by_user_id_user_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_run" ADD CONSTRAINT "meeting_run_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_run" ADD CONSTRAINT "meeting_run_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_run" ADD CONSTRAINT "meeting_run_opened_by_user_id_user_id_fk" FOREIGN KEY ("opened_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_answer" ADD CONSTRAINT "feedback_answer_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_answer" ADD CONSTRAINT "feedback_answer_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_bin" ADD CONSTRAINT "feedback_bin_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_nullifier" ADD CONSTRAINT "feedback_nullifier_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "debrief_completion" ADD CONSTRAINT "debrief_completion_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "debrief_completion" ADD CONSTRAINT "debrief_completion_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_debrief" ADD CONSTRAINT "meeting_debrief_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_debrief" ADD CONSTRAINT "meeting_debrief_group_id_balint_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."balint_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_debrief" ADD CONSTRAINT "meeting_debrief_updated_by_user_id_user_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_debrief" ADD CONSTRAINT "meeting_debrief_attached_by_user_id_user_id_fk" FOREIGN KEY ("attached_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_data_key" ADD CONSTRAINT "organisation_data_key_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_presenter_user_idx" ON "meeting_presenter" USING btree ("group_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_run_group_start_key" ON "meeting_run" USING btree ("group_id","occurrence_start");--> statement-breakpoint
CREATE INDEX "meeting_run_org_idx" ON "meeting_run" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "feedback_answer_group_idx" ON "feedback_answer" USING btree ("group_id","occurrence_start");--> statement-breakpoint
CREATE INDEX "feedback_nullifier_meeting_idx" ON "feedback_nullifier" USING btree ("group_id","occurrence_start");--> statement-breakpoint
CREATE INDEX "debrief_completion_user_idx" ON "debrief_completion" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_debrief_meeting_key" ON "meeting_debrief" USING btree ("group_id","occurrence_start");--> statement-breakpoint
CREATE INDEX "meeting_debrief_expiry_idx" ON "meeting_debrief" USING btree ("expires_at") WHERE "meeting_debrief"."attached_to_supervision_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_data_key_active_key" ON "organisation_data_key" USING btree ("organisation_id") WHERE "organisation_data_key"."status" = 'active';--> statement-breakpoint
CREATE INDEX "organisation_data_key_master_idx" ON "organisation_data_key" USING btree ("master_key_id");