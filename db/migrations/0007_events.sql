CREATE TABLE "event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"language" text NOT NULL,
	"time_zone" text NOT NULL,
	"format" text NOT NULL,
	"venue" text,
	"online_link" text,
	"ce_statement" text,
	"ce_hours" numeric(5, 2),
	"capacity" integer NOT NULL,
	"registration_opens_at" timestamp with time zone,
	"registration_closes_at" timestamp with time zone,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_capacity_check" CHECK ("event"."capacity" between 1 and 5000),
	CONSTRAINT "event_ce_hours_check" CHECK ("event"."ce_hours" is null or ("event"."ce_hours" >= 0 and "event"."ce_hours" <= 200)),
	CONSTRAINT "event_kind_check" CHECK ("event"."kind" in ('intensive','workshop','conference','webinar','fellowship_cohort')),
	CONSTRAINT "event_status_check" CHECK ("event"."status" in ('draft','published','cancelled')),
	CONSTRAINT "event_format_check" CHECK ("event"."format" in ('in_person','online','hybrid'))
);
--> statement-breakpoint
CREATE TABLE "event_day" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"date" date NOT NULL,
	"label" text
);
--> statement-breakpoint
CREATE TABLE "event_faculty" (
	"event_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "event_faculty_event_id_user_id_pk" PRIMARY KEY("event_id","user_id"),
	CONSTRAINT "event_faculty_role_check" CHECK ("event_faculty"."role" in ('faculty','supervisor'))
);
--> statement-breakpoint
CREATE TABLE "event_keep_apart" (
	"registration_id" uuid NOT NULL,
	"colleague_email" text NOT NULL,
	"colleague_user_id" text,
	CONSTRAINT "event_keep_apart_registration_id_colleague_email_pk" PRIMARY KEY("registration_id","colleague_email")
);
--> statement-breakpoint
CREATE TABLE "event_package" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"registration_closes_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_package_status_check" CHECK ("event_package"."status" in ('draft','published','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "event_package_event" (
	"package_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	CONSTRAINT "event_package_event_package_id_event_id_pk" PRIMARY KEY("package_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "event_payment_notice" (
	"provider" text NOT NULL,
	"provider_event_id" text NOT NULL,
	"registration_id" uuid,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_payment_notice_provider_provider_event_id_pk" PRIMARY KEY("provider","provider_event_id")
);
--> statement-breakpoint
CREATE TABLE "event_price_tier" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid,
	"package_id" uuid,
	"name" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"eligibility" text NOT NULL,
	"trainee_disciplines" text[] DEFAULT '{}'::text[] NOT NULL,
	"discount_label" text,
	"position" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "event_price_tier_target_check" CHECK (("event_price_tier"."event_id" is null) <> ("event_price_tier"."package_id" is null)),
	CONSTRAINT "event_price_tier_amount_check" CHECK ("event_price_tier"."amount_minor" >= 0),
	CONSTRAINT "event_price_tier_currency_check" CHECK ("event_price_tier"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "event_price_tier_eligibility_check" CHECK ("event_price_tier"."eligibility" in ('member','anyone','trainee'))
);
--> statement-breakpoint
CREATE TABLE "event_question" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid,
	"package_id" uuid,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"options" text[] DEFAULT '{}'::text[] NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "event_question_target_check" CHECK (("event_question"."event_id" is null) <> ("event_question"."package_id" is null)),
	CONSTRAINT "event_question_kind_check" CHECK ("event_question"."kind" in ('dietary','accessibility','discipline','balint_experience','short_text','choice'))
);
--> statement-breakpoint
CREATE TABLE "event_registration" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"event_id" uuid,
	"package_id" uuid,
	"user_id" text NOT NULL,
	"tier_id" uuid,
	"role" text DEFAULT 'participant' NOT NULL,
	"status" text NOT NULL,
	"trainee_stage" text,
	"discipline" text,
	"experience" text,
	"affiliation" text,
	"amount_minor" integer DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"waitlist_position" integer,
	"offered_at" timestamp with time zone,
	"offer_expires_at" timestamp with time zone,
	"reorder_reason" text,
	"reordered_by_user_id" text,
	"reordered_at" timestamp with time zone,
	"payment_status" text DEFAULT 'unpaid' NOT NULL,
	"payment_provider" text,
	"payment_reference" text,
	"payment_recorded_by_user_id" text,
	"payment_recorded_at" timestamp with time zone,
	"refund_status" text DEFAULT 'none' NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by_user_id" text,
	"cancellation_reason" text,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_registration_target_check" CHECK (("event_registration"."event_id" is null) <> ("event_registration"."package_id" is null)),
	CONSTRAINT "event_registration_status_check" CHECK ("event_registration"."status" in ('confirmed','waitlisted','offered','cancelled')),
	CONSTRAINT "event_registration_role_check" CHECK ("event_registration"."role" in ('participant','leader_in_training','faculty')),
	CONSTRAINT "event_registration_payment_check" CHECK ("event_registration"."payment_status" in ('unpaid','paid','refunded','waived')),
	CONSTRAINT "event_registration_refund_check" CHECK ("event_registration"."refund_status" in ('none','requested','refunded','not_applicable')),
	CONSTRAINT "event_registration_affiliation_length" CHECK ("event_registration"."affiliation" is null or char_length("event_registration"."affiliation") <= 120),
	CONSTRAINT "event_registration_reference_length" CHECK ("event_registration"."payment_reference" is null or char_length("event_registration"."payment_reference") <= 120)
);
--> statement-breakpoint
CREATE TABLE "event_registration_answer" (
	"registration_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "event_registration_answer_registration_id_question_id_pk" PRIMARY KEY("registration_id","question_id"),
	CONSTRAINT "event_registration_answer_length" CHECK (char_length("event_registration_answer"."value") <= 200)
);
--> statement-breakpoint
CREATE TABLE "event_session" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"day_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_session_time_check" CHECK ("event_session"."ends_at" > "event_session"."starts_at"),
	CONSTRAINT "event_session_kind_check" CHECK ("event_session"."kind" in ('experiential_group','small_group','faculty_panel','debrief','other'))
);
--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_day" ADD CONSTRAINT "event_day_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_faculty" ADD CONSTRAINT "event_faculty_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_faculty" ADD CONSTRAINT "event_faculty_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_keep_apart" ADD CONSTRAINT "event_keep_apart_registration_id_event_registration_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."event_registration"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_keep_apart" ADD CONSTRAINT "event_keep_apart_colleague_user_id_user_id_fk" FOREIGN KEY ("colleague_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_package" ADD CONSTRAINT "event_package_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_package_event" ADD CONSTRAINT "event_package_event_package_id_event_package_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."event_package"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_package_event" ADD CONSTRAINT "event_package_event_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_payment_notice" ADD CONSTRAINT "event_payment_notice_registration_id_event_registration_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."event_registration"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_price_tier" ADD CONSTRAINT "event_price_tier_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_price_tier" ADD CONSTRAINT "event_price_tier_package_id_event_package_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."event_package"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_question" ADD CONSTRAINT "event_question_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_question" ADD CONSTRAINT "event_question_package_id_event_package_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."event_package"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration" ADD CONSTRAINT "event_registration_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration" ADD CONSTRAINT "event_registration_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration" ADD CONSTRAINT "event_registration_package_id_event_package_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."event_package"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration" ADD CONSTRAINT "event_registration_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration" ADD CONSTRAINT "event_registration_tier_id_event_price_tier_id_fk" FOREIGN KEY ("tier_id") REFERENCES "public"."event_price_tier"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration" ADD CONSTRAINT "event_registration_reordered_by_user_id_user_id_fk" FOREIGN KEY ("reordered_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration" ADD CONSTRAINT "event_registration_payment_recorded_by_user_id_user_id_fk" FOREIGN KEY ("payment_recorded_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration" ADD CONSTRAINT "event_registration_cancelled_by_user_id_user_id_fk" FOREIGN KEY ("cancelled_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration_answer" ADD CONSTRAINT "event_registration_answer_registration_id_event_registration_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."event_registration"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registration_answer" ADD CONSTRAINT "event_registration_answer_question_id_event_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."event_question"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_session" ADD CONSTRAINT "event_session_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_session" ADD CONSTRAINT "event_session_day_id_event_day_id_fk" FOREIGN KEY ("day_id") REFERENCES "public"."event_day"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_org_slug_key" ON "event" USING btree ("organisation_id","slug");--> statement-breakpoint
CREATE INDEX "event_org_status_idx" ON "event" USING btree ("organisation_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "event_day_event_date_key" ON "event_day" USING btree ("event_id","date");--> statement-breakpoint
CREATE INDEX "event_faculty_user_idx" ON "event_faculty" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "event_keep_apart_colleague_idx" ON "event_keep_apart" USING btree ("colleague_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "event_package_org_slug_key" ON "event_package" USING btree ("organisation_id","slug");--> statement-breakpoint
CREATE INDEX "event_package_event_event_idx" ON "event_package_event" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_price_tier_event_idx" ON "event_price_tier" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_price_tier_package_idx" ON "event_price_tier" USING btree ("package_id");--> statement-breakpoint
CREATE INDEX "event_question_event_idx" ON "event_question" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "event_registration_event_user_key" ON "event_registration" USING btree ("event_id","user_id") WHERE "event_registration"."status" <> 'cancelled' and "event_registration"."event_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "event_registration_package_user_key" ON "event_registration" USING btree ("package_id","user_id") WHERE "event_registration"."status" <> 'cancelled' and "event_registration"."package_id" is not null;--> statement-breakpoint
CREATE INDEX "event_registration_event_status_idx" ON "event_registration" USING btree ("event_id","status");--> statement-breakpoint
CREATE INDEX "event_registration_package_status_idx" ON "event_registration" USING btree ("package_id","status");--> statement-breakpoint
CREATE INDEX "event_registration_user_idx" ON "event_registration" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "event_registration_org_idx" ON "event_registration" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "event_session_event_idx" ON "event_session" USING btree ("event_id","starts_at");