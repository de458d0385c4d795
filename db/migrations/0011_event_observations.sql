CREATE TABLE "event_observation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"session_id" uuid,
	"observer_user_id" text,
	"leader_user_id" text NOT NULL,
	"observed_on" date NOT NULL,
	"narrative" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_observation_narrative_length" CHECK (char_length("event_observation"."narrative") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "event_observation_rating" (
	"observation_id" uuid NOT NULL,
	"competency" text NOT NULL,
	"level" integer NOT NULL,
	CONSTRAINT "event_observation_rating_observation_id_competency_pk" PRIMARY KEY("observation_id","competency"),
	CONSTRAINT "event_observation_rating_level_check" CHECK ("event_observation_rating"."level" between 1 and 4),
	CONSTRAINT "event_observation_rating_competency_length" CHECK (char_length("event_observation_rating"."competency") between 1 and 60)
);
--> statement-breakpoint
ALTER TABLE "event_observation" ADD CONSTRAINT "event_observation_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_observation" ADD CONSTRAINT "event_observation_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_observation" ADD CONSTRAINT "event_observation_session_id_event_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."event_session"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_observation" ADD CONSTRAINT "event_observation_observer_user_id_user_id_fk" FOREIGN KEY ("observer_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_observation" ADD CONSTRAINT "event_observation_leader_user_id_user_id_fk" FOREIGN KEY ("leader_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_observation_rating" ADD CONSTRAINT "event_observation_rating_observation_id_event_observation_id_fk" FOREIGN KEY ("observation_id") REFERENCES "public"."event_observation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_observation_leader_idx" ON "event_observation" USING btree ("leader_user_id","observed_on");--> statement-breakpoint
CREATE INDEX "event_observation_event_idx" ON "event_observation" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_observation_org_idx" ON "event_observation" USING btree ("organisation_id");