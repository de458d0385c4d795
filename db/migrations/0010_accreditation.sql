CREATE TABLE "accreditation_candidate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"pathway_id" uuid NOT NULL,
	"pathway_version_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_candidate_status_check" CHECK ("accreditation_candidate"."status" in ('active','applied','accredited','withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "accreditation_candidate_version_move" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"candidate_id" uuid NOT NULL,
	"from_version_id" uuid NOT NULL,
	"to_version_id" uuid NOT NULL,
	"moved_by_user_id" text,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accreditation_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"candidate_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"requirement_id" text,
	"description" text NOT NULL,
	"occurred_on" date NOT NULL,
	"hours" numeric(6, 2),
	"event_kind" text,
	"final_credentialing" integer DEFAULT 0 NOT NULL,
	"group_id" uuid,
	"occurrence_start" timestamp with time zone,
	"dedupe_key" text NOT NULL,
	"file_key" text,
	"file_type" text,
	"file_size" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"verified_by_user_id" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_evidence_kind_check" CHECK ("accreditation_evidence"."kind" in ('session_attended','session_led','supervised_session','supervision_meeting','event_attended','debrief','membership','verified_item')),
	CONSTRAINT "accreditation_evidence_status_check" CHECK ("accreditation_evidence"."status" in ('pending','verified','rejected')),
	CONSTRAINT "accreditation_evidence_description_length" CHECK (char_length("accreditation_evidence"."description") between 1 and 200),
	CONSTRAINT "accreditation_evidence_reason_length" CHECK ("accreditation_evidence"."reason" is null or char_length("accreditation_evidence"."reason") <= 300),
	CONSTRAINT "accreditation_evidence_hours_check" CHECK ("accreditation_evidence"."hours" is null or ("accreditation_evidence"."hours" >= 0 and "accreditation_evidence"."hours" <= 1000)),
	CONSTRAINT "accreditation_evidence_file_size_check" CHECK ("accreditation_evidence"."file_size" is null or ("accreditation_evidence"."file_size" > 0 and "accreditation_evidence"."file_size" <= 5242880))
);
--> statement-breakpoint
CREATE TABLE "accreditation_pathway" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_pathway_key_format" CHECK ("accreditation_pathway"."key" ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
	CONSTRAINT "accreditation_pathway_name_length" CHECK (char_length("accreditation_pathway"."name") between 1 and 120)
);
--> statement-breakpoint
CREATE TABLE "accreditation_pathway_version" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pathway_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "accreditation_pathway_version_status_check" CHECK ("accreditation_pathway_version"."status" in ('draft','published','retired')),
	CONSTRAINT "accreditation_pathway_version_number_check" CHECK ("accreditation_pathway_version"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "accreditation_candidate" ADD CONSTRAINT "accreditation_candidate_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_candidate" ADD CONSTRAINT "accreditation_candidate_pathway_id_accreditation_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "public"."accreditation_pathway"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_candidate" ADD CONSTRAINT "accreditation_candidate_pathway_version_id_accreditation_pathway_version_id_fk" FOREIGN KEY ("pathway_version_id") REFERENCES "public"."accreditation_pathway_version"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_candidate" ADD CONSTRAINT "accreditation_candidate_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_candidate_version_move" ADD CONSTRAINT "accreditation_candidate_version_move_candidate_id_accreditation_candidate_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."accreditation_candidate"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_candidate_version_move" ADD CONSTRAINT "accreditation_candidate_version_move_from_version_id_accreditation_pathway_version_id_fk" FOREIGN KEY ("from_version_id") REFERENCES "public"."accreditation_pathway_version"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_candidate_version_move" ADD CONSTRAINT "accreditation_candidate_version_move_to_version_id_accreditation_pathway_version_id_fk" FOREIGN KEY ("to_version_id") REFERENCES "public"."accreditation_pathway_version"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_candidate_version_move" ADD CONSTRAINT "accreditation_candidate_version_move_moved_by_user_id_user_id_fk" FOREIGN KEY ("moved_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_evidence" ADD CONSTRAINT "accreditation_evidence_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_evidence" ADD CONSTRAINT "accreditation_evidence_candidate_id_accreditation_candidate_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."accreditation_candidate"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_evidence" ADD CONSTRAINT "accreditation_evidence_verified_by_user_id_user_id_fk" FOREIGN KEY ("verified_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_pathway" ADD CONSTRAINT "accreditation_pathway_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_pathway_version" ADD CONSTRAINT "accreditation_pathway_version_pathway_id_accreditation_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "public"."accreditation_pathway"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_pathway_version" ADD CONSTRAINT "accreditation_pathway_version_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_pathway_version" ADD CONSTRAINT "accreditation_pathway_version_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_candidate_person_pathway" ON "accreditation_candidate" USING btree ("pathway_id","user_id");--> statement-breakpoint
CREATE INDEX "accreditation_candidate_user_idx" ON "accreditation_candidate" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "accreditation_candidate_org_idx" ON "accreditation_candidate" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "accreditation_candidate_version_move_candidate_idx" ON "accreditation_candidate_version_move" USING btree ("candidate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_evidence_dedupe" ON "accreditation_evidence" USING btree ("candidate_id","dedupe_key") WHERE "accreditation_evidence"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "accreditation_evidence_org_status_idx" ON "accreditation_evidence" USING btree ("organisation_id","status");--> statement-breakpoint
CREATE INDEX "accreditation_evidence_candidate_idx" ON "accreditation_evidence" USING btree ("candidate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_pathway_org_key" ON "accreditation_pathway" USING btree ("organisation_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_pathway_version_key" ON "accreditation_pathway_version" USING btree ("pathway_id","version");--> statement-breakpoint
CREATE INDEX "accreditation_pathway_version_org_idx" ON "accreditation_pathway_version" USING btree ("organisation_id");