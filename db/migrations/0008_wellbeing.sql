CREATE TABLE "wellbeing_atom" (
	"wave_id" uuid NOT NULL,
	"instrument_id" uuid NOT NULL,
	"key" text NOT NULL,
	"cell" jsonb NOT NULL,
	"respondents" integer NOT NULL,
	"comments" integer DEFAULT 0 NOT NULL,
	"scales" jsonb NOT NULL,
	"min_cell_at_close" integer NOT NULL,
	CONSTRAINT "wellbeing_atom_wave_id_instrument_id_key_pk" PRIMARY KEY("wave_id","instrument_id","key"),
	CONSTRAINT "wellbeing_atom_check" CHECK ("wellbeing_atom"."respondents" >= 1 and "wellbeing_atom"."min_cell_at_close" >= 5)
);
--> statement-breakpoint
CREATE TABLE "wellbeing_campaign" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"mode" text NOT NULL,
	"cohort_kind" text NOT NULL,
	"cohort_group_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"cohort_discipline" text,
	"cohort_label" text NOT NULL,
	"schedule_kind" text NOT NULL,
	"every_months" integer,
	"window_days" integer NOT NULL,
	"reminder_days_before" integer DEFAULT 3 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "wellbeing_campaign_mode_check" CHECK ("wellbeing_campaign"."mode" in ('anonymous','confidential')),
	CONSTRAINT "wellbeing_campaign_cohort_check" CHECK ("wellbeing_campaign"."cohort_kind" in ('groups','discipline','organisation')),
	CONSTRAINT "wellbeing_campaign_schedule_check" CHECK ("wellbeing_campaign"."schedule_kind" in ('once','term','every') and ("wellbeing_campaign"."schedule_kind" <> 'every' or "wellbeing_campaign"."every_months" between 1 and 24)),
	CONSTRAINT "wellbeing_campaign_window_check" CHECK ("wellbeing_campaign"."window_days" between 1 and 90 and "wellbeing_campaign"."reminder_days_before" between 0 and 90)
);
--> statement-breakpoint
CREATE TABLE "wellbeing_campaign_instrument" (
	"campaign_id" uuid NOT NULL,
	"instrument_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "wellbeing_campaign_instrument_campaign_id_instrument_id_pk" PRIMARY KEY("campaign_id","instrument_id")
);
--> statement-breakpoint
CREATE TABLE "wellbeing_draft" (
	"key" text PRIMARY KEY NOT NULL,
	"wave_id" uuid NOT NULL,
	"answers" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wellbeing_instrument" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid,
	"built_in_key" text,
	"url" text NOT NULL,
	"version" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"questionnaire" jsonb NOT NULL,
	"scoring" jsonb NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wellbeing_instrument_kind_check" CHECK (("wellbeing_instrument"."organisation_id" is null) = ("wellbeing_instrument"."built_in_key" is not null))
);
--> statement-breakpoint
CREATE TABLE "wellbeing_invitation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"wave_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"group_id" uuid,
	"token_hash" text NOT NULL,
	"token_salt" text NOT NULL,
	"reminded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wellbeing_nullifier" (
	"nullifier" text PRIMARY KEY NOT NULL,
	"wave_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wellbeing_pair_atom" (
	"pairing_id" uuid NOT NULL,
	"instrument_id" uuid NOT NULL,
	"key" text NOT NULL,
	"cell" jsonb NOT NULL,
	"pairs" integer NOT NULL,
	"scales" jsonb NOT NULL,
	"min_cell_at_close" integer NOT NULL,
	CONSTRAINT "wellbeing_pair_atom_pairing_id_instrument_id_key_pk" PRIMARY KEY("pairing_id","instrument_id","key")
);
--> statement-breakpoint
CREATE TABLE "wellbeing_pairing" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"wave_from" uuid NOT NULL,
	"wave_to" uuid NOT NULL,
	"min_cell_at_close" integer NOT NULL,
	CONSTRAINT "wellbeing_pairing_waves_check" CHECK ("wellbeing_pairing"."wave_from" <> "wellbeing_pairing"."wave_to")
);
--> statement-breakpoint
CREATE TABLE "wellbeing_pairing_wave" (
	"wave_id" uuid PRIMARY KEY NOT NULL,
	"pairing_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wellbeing_response" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"wave_id" uuid NOT NULL,
	"instrument_id" uuid NOT NULL,
	"response" jsonb NOT NULL,
	"scores" jsonb NOT NULL,
	"complete" boolean NOT NULL,
	"cell_cohort" text NOT NULL,
	"cell_group" text NOT NULL,
	"cell_discipline" text NOT NULL,
	"pseudonym" text,
	"answered_at" timestamp with time zone,
	CONSTRAINT "wellbeing_response_mode_check" CHECK (("wellbeing_response"."pseudonym" is null) = ("wellbeing_response"."answered_at" is null))
);
--> statement-breakpoint
CREATE TABLE "wellbeing_wave" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"label" text,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"invited_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"frozen_at" timestamp with time zone,
	"min_cell_at_close" integer,
	CONSTRAINT "wellbeing_wave_dates_check" CHECK ("wellbeing_wave"."opens_at" < "wellbeing_wave"."closes_at")
);
--> statement-breakpoint
ALTER TABLE "wellbeing_atom" ADD CONSTRAINT "wellbeing_atom_wave_id_wellbeing_wave_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."wellbeing_wave"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_atom" ADD CONSTRAINT "wellbeing_atom_instrument_id_wellbeing_instrument_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."wellbeing_instrument"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_campaign" ADD CONSTRAINT "wellbeing_campaign_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_campaign_instrument" ADD CONSTRAINT "wellbeing_campaign_instrument_campaign_id_wellbeing_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."wellbeing_campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_campaign_instrument" ADD CONSTRAINT "wellbeing_campaign_instrument_instrument_id_wellbeing_instrument_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."wellbeing_instrument"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_draft" ADD CONSTRAINT "wellbeing_draft_wave_id_wellbeing_wave_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."wellbeing_wave"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_instrument" ADD CONSTRAINT "wellbeing_instrument_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_invitation" ADD CONSTRAINT "wellbeing_invitation_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_invitation" ADD CONSTRAINT "wellbeing_invitation_wave_id_wellbeing_wave_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."wellbeing_wave"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_invitation" ADD CONSTRAINT "wellbeing_invitation_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_nullifier" ADD CONSTRAINT "wellbeing_nullifier_wave_id_wellbeing_wave_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."wellbeing_wave"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_pair_atom" ADD CONSTRAINT "wellbeing_pair_atom_pairing_id_wellbeing_pairing_id_fk" FOREIGN KEY ("pairing_id") REFERENCES "public"."wellbeing_pairing"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_pair_atom" ADD CONSTRAINT "wellbeing_pair_atom_instrument_id_wellbeing_instrument_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."wellbeing_instrument"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_pairing" ADD CONSTRAINT "wellbeing_pairing_campaign_id_wellbeing_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."wellbeing_campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_pairing" ADD CONSTRAINT "wellbeing_pairing_wave_from_wellbeing_wave_id_fk" FOREIGN KEY ("wave_from") REFERENCES "public"."wellbeing_wave"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_pairing" ADD CONSTRAINT "wellbeing_pairing_wave_to_wellbeing_wave_id_fk" FOREIGN KEY ("wave_to") REFERENCES "public"."wellbeing_wave"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_pairing_wave" ADD CONSTRAINT "wellbeing_pairing_wave_wave_id_wellbeing_wave_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."wellbeing_wave"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_pairing_wave" ADD CONSTRAINT "wellbeing_pairing_wave_pairing_id_wellbeing_pairing_id_fk" FOREIGN KEY ("pairing_id") REFERENCES "public"."wellbeing_pairing"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_response" ADD CONSTRAINT "wellbeing_response_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_response" ADD CONSTRAINT "wellbeing_response_wave_id_wellbeing_wave_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."wellbeing_wave"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_response" ADD CONSTRAINT "wellbeing_response_instrument_id_wellbeing_instrument_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."wellbeing_instrument"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_wave" ADD CONSTRAINT "wellbeing_wave_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_wave" ADD CONSTRAINT "wellbeing_wave_campaign_id_wellbeing_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."wellbeing_campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wellbeing_campaign_org_idx" ON "wellbeing_campaign" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wellbeing_instrument_builtin_key" ON "wellbeing_instrument" USING btree ("built_in_key") WHERE "wellbeing_instrument"."organisation_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "wellbeing_instrument_org_url_key" ON "wellbeing_instrument" USING btree ("organisation_id","url","version") WHERE "wellbeing_instrument"."organisation_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "wellbeing_invitation_wave_user_key" ON "wellbeing_invitation" USING btree ("wave_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wellbeing_invitation_token_key" ON "wellbeing_invitation" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "wellbeing_invitation_user_idx" ON "wellbeing_invitation" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "wellbeing_response_wave_idx" ON "wellbeing_response" USING btree ("wave_id","instrument_id");--> statement-breakpoint
CREATE INDEX "wellbeing_response_pseudonym_idx" ON "wellbeing_response" USING btree ("pseudonym") WHERE "wellbeing_response"."pseudonym" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "wellbeing_response_once_key" ON "wellbeing_response" USING btree ("wave_id","instrument_id","pseudonym") WHERE "wellbeing_response"."pseudonym" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "wellbeing_wave_campaign_seq_key" ON "wellbeing_wave" USING btree ("campaign_id","seq");--> statement-breakpoint
CREATE INDEX "wellbeing_wave_due_idx" ON "wellbeing_wave" USING btree ("closes_at") WHERE "wellbeing_wave"."frozen_at" is null;