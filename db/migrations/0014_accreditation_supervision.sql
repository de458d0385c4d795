CREATE TABLE "accreditation_application" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"candidate_id" uuid NOT NULL,
	"candidate_user_id" text NOT NULL,
	"pathway_id" uuid NOT NULL,
	"pathway_version_id" uuid NOT NULL,
	"pathway_version" integer NOT NULL,
	"pathway_name" text NOT NULL,
	"progress_snapshot" jsonb NOT NULL,
	"requirements_met" boolean NOT NULL,
	"explanation" text,
	"status" text DEFAULT 'submitted' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decision" text,
	"decision_reasons" text,
	"decided_by_user_id" text,
	"decided_at" timestamp with time zone,
	"credential_id" text,
	CONSTRAINT "accreditation_application_status" CHECK ("accreditation_application"."status" in ('submitted','in_review','decided','withdrawn')),
	CONSTRAINT "accreditation_application_decision" CHECK (("accreditation_application"."status" = 'decided') = ("accreditation_application"."decision" is not null)),
	CONSTRAINT "accreditation_application_explained" CHECK ("accreditation_application"."requirements_met" or char_length(coalesce("accreditation_application"."explanation", '')) > 0)
);
--> statement-breakpoint
CREATE TABLE "accreditation_application_reviewer" (
	"application_id" uuid NOT NULL,
	"reviewer_user_id" text NOT NULL,
	"assigned_by_user_id" text,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recommendation" text,
	"comments" text,
	"recommended_at" timestamp with time zone,
	CONSTRAINT "accreditation_application_reviewer_application_id_reviewer_user_id_pk" PRIMARY KEY("application_id","reviewer_user_id")
);
--> statement-breakpoint
CREATE TABLE "accreditation_committee_member" (
	"organisation_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_committee_member_organisation_id_user_id_pk" PRIMARY KEY("organisation_id","user_id"),
	CONSTRAINT "accreditation_committee_member_role" CHECK ("accreditation_committee_member"."role" in ('chair','member'))
);
--> statement-breakpoint
CREATE TABLE "accreditation_supervised_session" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"supervision_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"candidate_user_id" text NOT NULL,
	"group_id" uuid NOT NULL,
	"occurrence_start" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by_user_id" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "accreditation_supervised_session_status" CHECK ("accreditation_supervised_session"."status" in ('pending','confirmed','rejected'))
);
--> statement-breakpoint
CREATE TABLE "accreditation_supervision" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"candidate_user_id" text NOT NULL,
	"supervisor_user_id" text NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"terms_text" text,
	"fee_text" text,
	"supervisor_accepted_at" timestamp with time zone,
	"supervisor_accepted_by_user_id" text,
	"candidate_accepted_at" timestamp with time zone,
	"candidate_accepted_by_user_id" text,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	CONSTRAINT "accreditation_supervision_status" CHECK ("accreditation_supervision"."status" in ('requested','proposed','active','declined','ended')),
	CONSTRAINT "accreditation_supervision_not_self" CHECK ("accreditation_supervision"."candidate_user_id" <> "accreditation_supervision"."supervisor_user_id")
);
--> statement-breakpoint
CREATE TABLE "accreditation_supervision_meeting" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"supervision_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"logged_by_user_id" text NOT NULL,
	"logged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by_user_id" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "accreditation_supervision_meeting_minutes" CHECK ("accreditation_supervision_meeting"."minutes" between 5 and 600),
	CONSTRAINT "accreditation_supervision_meeting_status" CHECK ("accreditation_supervision_meeting"."status" in ('pending','confirmed','rejected'))
);
--> statement-breakpoint
CREATE TABLE "accreditation_supervision_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"competencies" jsonb NOT NULL,
	"max_level" integer DEFAULT 4 NOT NULL,
	"report_interval_months" integer DEFAULT 6 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_supervision_settings_level" CHECK ("accreditation_supervision_settings"."max_level" between 2 and 10),
	CONSTRAINT "accreditation_supervision_settings_interval" CHECK ("accreditation_supervision_settings"."report_interval_months" between 1 and 24)
);
--> statement-breakpoint
CREATE TABLE "accreditation_supervisor" (
	"organisation_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"capacity" integer NOT NULL,
	"languages" text[] NOT NULL,
	"fee_text" text DEFAULT '' NOT NULL,
	"mode" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_supervisor_organisation_id_user_id_pk" PRIMARY KEY("organisation_id","user_id"),
	CONSTRAINT "accreditation_supervisor_capacity" CHECK ("accreditation_supervisor"."capacity" between 0 and 100),
	CONSTRAINT "accreditation_supervisor_mode" CHECK ("accreditation_supervisor"."mode" in ('online','in_person','both'))
);
--> statement-breakpoint
CREATE TABLE "accreditation_supervisor_report" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"supervision_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"candidate_user_id" text NOT NULL,
	"supervisor_user_id" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"ratings" jsonb NOT NULL,
	"max_level" integer NOT NULL,
	"narrative" text NOT NULL,
	"identifier_warnings" integer DEFAULT 0 NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_supervisor_report_period" CHECK ("accreditation_supervisor_report"."period_end" >= "accreditation_supervisor_report"."period_start")
);
--> statement-breakpoint
ALTER TABLE "accreditation_application" ADD CONSTRAINT "accreditation_application_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_application" ADD CONSTRAINT "accreditation_application_candidate_id_accreditation_candidate_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."accreditation_candidate"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_application" ADD CONSTRAINT "accreditation_application_candidate_user_id_user_id_fk" FOREIGN KEY ("candidate_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_application" ADD CONSTRAINT "accreditation_application_pathway_version_id_accreditation_pathway_version_id_fk" FOREIGN KEY ("pathway_version_id") REFERENCES "public"."accreditation_pathway_version"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_application" ADD CONSTRAINT "accreditation_application_decided_by_user_id_user_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_application_reviewer" ADD CONSTRAINT "accreditation_application_reviewer_application_id_accreditation_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."accreditation_application"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_application_reviewer" ADD CONSTRAINT "accreditation_application_reviewer_reviewer_user_id_user_id_fk" FOREIGN KEY ("reviewer_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_application_reviewer" ADD CONSTRAINT "accreditation_application_reviewer_assigned_by_user_id_user_id_fk" FOREIGN KEY ("assigned_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_committee_member" ADD CONSTRAINT "accreditation_committee_member_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_committee_member" ADD CONSTRAINT "accreditation_committee_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervised_session" ADD CONSTRAINT "accreditation_supervised_session_supervision_id_accreditation_supervision_id_fk" FOREIGN KEY ("supervision_id") REFERENCES "public"."accreditation_supervision"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervised_session" ADD CONSTRAINT "accreditation_supervised_session_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervised_session" ADD CONSTRAINT "accreditation_supervised_session_candidate_user_id_user_id_fk" FOREIGN KEY ("candidate_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervised_session" ADD CONSTRAINT "accreditation_supervised_session_decided_by_user_id_user_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision" ADD CONSTRAINT "accreditation_supervision_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision" ADD CONSTRAINT "accreditation_supervision_candidate_user_id_user_id_fk" FOREIGN KEY ("candidate_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision" ADD CONSTRAINT "accreditation_supervision_supervisor_user_id_user_id_fk" FOREIGN KEY ("supervisor_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision" ADD CONSTRAINT "accreditation_supervision_supervisor_accepted_by_user_id_user_id_fk" FOREIGN KEY ("supervisor_accepted_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision" ADD CONSTRAINT "accreditation_supervision_candidate_accepted_by_user_id_user_id_fk" FOREIGN KEY ("candidate_accepted_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision_meeting" ADD CONSTRAINT "accreditation_supervision_meeting_supervision_id_accreditation_supervision_id_fk" FOREIGN KEY ("supervision_id") REFERENCES "public"."accreditation_supervision"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision_meeting" ADD CONSTRAINT "accreditation_supervision_meeting_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision_meeting" ADD CONSTRAINT "accreditation_supervision_meeting_logged_by_user_id_user_id_fk" FOREIGN KEY ("logged_by_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision_meeting" ADD CONSTRAINT "accreditation_supervision_meeting_decided_by_user_id_user_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervision_settings" ADD CONSTRAINT "accreditation_supervision_settings_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervisor" ADD CONSTRAINT "accreditation_supervisor_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervisor" ADD CONSTRAINT "accreditation_supervisor_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervisor_report" ADD CONSTRAINT "accreditation_supervisor_report_supervision_id_accreditation_supervision_id_fk" FOREIGN KEY ("supervision_id") REFERENCES "public"."accreditation_supervision"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervisor_report" ADD CONSTRAINT "accreditation_supervisor_report_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervisor_report" ADD CONSTRAINT "accreditation_supervisor_report_candidate_user_id_user_id_fk" FOREIGN KEY ("candidate_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_supervisor_report" ADD CONSTRAINT "accreditation_supervisor_report_supervisor_user_id_user_id_fk" FOREIGN KEY ("supervisor_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_application_open_key" ON "accreditation_application" USING btree ("candidate_id") WHERE status in ('submitted','in_review');--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_committee_chair_key" ON "accreditation_committee_member" USING btree ("organisation_id") WHERE role = 'chair';--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_supervised_session_key" ON "accreditation_supervised_session" USING btree ("candidate_user_id","group_id","occurrence_start") WHERE status <> 'rejected';--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_supervision_open_key" ON "accreditation_supervision" USING btree ("organisation_id","candidate_user_id","supervisor_user_id") WHERE status in ('requested','proposed','active');--> statement-breakpoint
CREATE INDEX "accreditation_supervision_supervisor_idx" ON "accreditation_supervision" USING btree ("organisation_id","supervisor_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_supervision_meeting_day_key" ON "accreditation_supervision_meeting" USING btree ("supervision_id","held_on") WHERE status <> 'rejected';--> statement-breakpoint
CREATE INDEX "accreditation_supervisor_report_candidate_idx" ON "accreditation_supervisor_report" USING btree ("organisation_id","candidate_user_id","submitted_at");