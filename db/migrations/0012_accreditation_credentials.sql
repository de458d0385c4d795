CREATE TABLE "accreditation_credential" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"candidate_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"holder_name" text NOT NULL,
	"achievement_name" text NOT NULL,
	"achievement_description" text NOT NULL,
	"criteria" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"status_list" integer DEFAULT 1 NOT NULL,
	"status_index" integer NOT NULL,
	"kid" text NOT NULL,
	"jwt" text NOT NULL,
	"renews_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"revoked_by_user_id" text,
	"reminder_sent_at" timestamp with time zone,
	"issued_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_credential_index_check" CHECK ("accreditation_credential"."status_index" >= 0 and "accreditation_credential"."status_index" < 131072 and "accreditation_credential"."status_list" >= 1),
	CONSTRAINT "accreditation_credential_revocation_check" CHECK (("accreditation_credential"."revoked_at" is null) = ("accreditation_credential"."revoked_reason" is null)),
	CONSTRAINT "accreditation_credential_name_length" CHECK (char_length("accreditation_credential"."achievement_name") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "credential_signing_key" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kid" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_sealed" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "credential_signing_key_status_check" CHECK ("credential_signing_key"."status" in ('active','retired'))
);
--> statement-breakpoint
CREATE TABLE "leader_directory_listing" (
	"organisation_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"display_name" text NOT NULL,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"online" boolean DEFAULT false NOT NULL,
	"in_person" boolean DEFAULT false NOT NULL,
	"open_to_co_leading" boolean DEFAULT false NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leader_directory_listing_region_length" CHECK (char_length("leader_directory_listing"."region") <= 80),
	CONSTRAINT "leader_directory_listing_name_length" CHECK (char_length("leader_directory_listing"."display_name") between 1 and 120)
);
--> statement-breakpoint
ALTER TABLE "accreditation_credential" ADD CONSTRAINT "accreditation_credential_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_credential" ADD CONSTRAINT "accreditation_credential_candidate_id_accreditation_candidate_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."accreditation_candidate"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_credential" ADD CONSTRAINT "accreditation_credential_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_credential" ADD CONSTRAINT "accreditation_credential_revoked_by_user_id_user_id_fk" FOREIGN KEY ("revoked_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_credential" ADD CONSTRAINT "accreditation_credential_issued_by_user_id_user_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_signing_key" ADD CONSTRAINT "credential_signing_key_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_directory_listing" ADD CONSTRAINT "leader_directory_listing_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_directory_listing" ADD CONSTRAINT "leader_directory_listing_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_credential_status_bit" ON "accreditation_credential" USING btree ("organisation_id","status_list","status_index");--> statement-breakpoint
CREATE INDEX "accreditation_credential_user_idx" ON "accreditation_credential" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "accreditation_credential_candidate_idx" ON "accreditation_credential" USING btree ("candidate_id");--> statement-breakpoint
CREATE INDEX "accreditation_credential_valid_until_idx" ON "accreditation_credential" USING btree ("valid_until");--> statement-breakpoint
CREATE UNIQUE INDEX "credential_signing_key_kid" ON "credential_signing_key" USING btree ("organisation_id","kid");--> statement-breakpoint
CREATE UNIQUE INDEX "credential_signing_key_active" ON "credential_signing_key" USING btree ("organisation_id") WHERE "credential_signing_key"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "leader_directory_listing_pk" ON "leader_directory_listing" USING btree ("organisation_id","user_id");--> statement-breakpoint
CREATE INDEX "leader_directory_listing_user_idx" ON "leader_directory_listing" USING btree ("user_id");