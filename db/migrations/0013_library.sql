CREATE TABLE "library_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"authors" text[] DEFAULT '{}'::text[] NOT NULL,
	"year" integer,
	"language" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"url" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"visibility" text DEFAULT 'members' NOT NULL,
	"estimated_minutes" integer,
	"ce_eligible" boolean DEFAULT false NOT NULL,
	"index_text" text DEFAULT '' NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(index_text, ''))) STORED,
	"archived_at" timestamp with time zone,
	"created_by_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "library_item_kind_check" CHECK ("library_item"."kind" in ('reading','video','recording','guide','link')),
	CONSTRAINT "library_item_visibility_check" CHECK ("library_item"."visibility" in ('public','members')),
	CONSTRAINT "library_item_url_https" CHECK ("library_item"."url" like 'https://%'),
	CONSTRAINT "library_item_minutes_check" CHECK ("library_item"."estimated_minutes" is null or "library_item"."estimated_minutes" between 1 and 6000),
	CONSTRAINT "library_item_year_check" CHECK ("library_item"."year" is null or "library_item"."year" between 1800 and 2200)
);
--> statement-breakpoint
CREATE TABLE "library_log_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"read_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"reflection_sealed" text,
	"key_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "library_log_entry_minutes_check" CHECK ("library_log_entry"."minutes" between 1 and 6000)
);
--> statement-breakpoint
ALTER TABLE "library_item" ADD CONSTRAINT "library_item_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_item" ADD CONSTRAINT "library_item_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_log_entry" ADD CONSTRAINT "library_log_entry_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_log_entry" ADD CONSTRAINT "library_log_entry_item_id_library_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."library_item"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_log_entry" ADD CONSTRAINT "library_log_entry_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "library_item_org_idx" ON "library_item" USING btree ("organisation_id","title");--> statement-breakpoint
CREATE INDEX "library_item_public_idx" ON "library_item" USING btree ("title","id") WHERE "library_item"."visibility" = 'public' and "library_item"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "library_item_search_gin" ON "library_item" USING gin ("search");--> statement-breakpoint
CREATE INDEX "library_item_tags_gin" ON "library_item" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "library_item_audiences_gin" ON "library_item" USING gin ("audiences");--> statement-breakpoint
CREATE INDEX "library_log_entry_user_idx" ON "library_log_entry" USING btree ("user_id","read_on");--> statement-breakpoint
CREATE INDEX "library_log_entry_item_idx" ON "library_log_entry" USING btree ("item_id");