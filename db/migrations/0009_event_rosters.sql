CREATE TABLE "event_certificate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"person_name" text NOT NULL,
	"event_title" text NOT NULL,
	"first_day" text NOT NULL,
	"last_day" text NOT NULL,
	"hours" numeric(5, 2) NOT NULL,
	"statement" text,
	"locale" text DEFAULT 'en' NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_by_user_id" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "event_certificate_hours_check" CHECK ("event_certificate"."hours" > 0 and "event_certificate"."hours" <= 200)
);
--> statement-breakpoint
CREATE TABLE "event_checkin" (
	"event_id" uuid NOT NULL,
	"day_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_in_by_user_id" text,
	CONSTRAINT "event_checkin_day_id_user_id_pk" PRIMARY KEY("day_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "event_roster" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"min_size" integer NOT NULL,
	"max_size" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by_user_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"published_by_user_id" text,
	CONSTRAINT "event_roster_status_check" CHECK ("event_roster"."status" in ('draft','published')),
	CONSTRAINT "event_roster_sizes_check" CHECK ("event_roster"."min_size" >= 1 and "event_roster"."max_size" >= "event_roster"."min_size" and "event_roster"."max_size" <= 100)
);
--> statement-breakpoint
CREATE TABLE "event_roster_group" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "event_roster_group_name_length" CHECK (char_length("event_roster_group"."name") between 1 and 60)
);
--> statement-breakpoint
CREATE TABLE "event_roster_member" (
	"event_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"group_id" uuid NOT NULL,
	CONSTRAINT "event_roster_member_event_id_user_id_pk" PRIMARY KEY("event_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "event_certificate" ADD CONSTRAINT "event_certificate_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_certificate" ADD CONSTRAINT "event_certificate_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_certificate" ADD CONSTRAINT "event_certificate_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_certificate" ADD CONSTRAINT "event_certificate_issued_by_user_id_user_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_checkin" ADD CONSTRAINT "event_checkin_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_checkin" ADD CONSTRAINT "event_checkin_day_id_event_day_id_fk" FOREIGN KEY ("day_id") REFERENCES "public"."event_day"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_checkin" ADD CONSTRAINT "event_checkin_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_checkin" ADD CONSTRAINT "event_checkin_checked_in_by_user_id_user_id_fk" FOREIGN KEY ("checked_in_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_roster" ADD CONSTRAINT "event_roster_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_roster" ADD CONSTRAINT "event_roster_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_roster" ADD CONSTRAINT "event_roster_updated_by_user_id_user_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_roster" ADD CONSTRAINT "event_roster_published_by_user_id_user_id_fk" FOREIGN KEY ("published_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_roster_group" ADD CONSTRAINT "event_roster_group_event_id_event_roster_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event_roster"("event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_roster_member" ADD CONSTRAINT "event_roster_member_event_id_event_roster_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event_roster"("event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_roster_member" ADD CONSTRAINT "event_roster_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_roster_member" ADD CONSTRAINT "event_roster_member_group_id_event_roster_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."event_roster_group"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_certificate_code_key" ON "event_certificate" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "event_certificate_event_user_key" ON "event_certificate" USING btree ("event_id","user_id") WHERE "event_certificate"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "event_certificate_user_idx" ON "event_certificate" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "event_checkin_event_user_idx" ON "event_checkin" USING btree ("event_id","user_id");--> statement-breakpoint
CREATE INDEX "event_checkin_user_idx" ON "event_checkin" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "event_roster_group_position_key" ON "event_roster_group" USING btree ("event_id","position");--> statement-breakpoint
CREATE INDEX "event_roster_member_group_idx" ON "event_roster_member" USING btree ("group_id");