CREATE TABLE "accreditation_report_reminder" (
	"supervision_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"cycle" text NOT NULL,
	"kind" text NOT NULL,
	"due_on" date NOT NULL,
	"recipient_user_id" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_report_reminder_supervision_id_cycle_kind_pk" PRIMARY KEY("supervision_id","cycle","kind"),
	CONSTRAINT "accreditation_report_reminder_kind" CHECK ("accreditation_report_reminder"."kind" in ('due','overdue'))
);
--> statement-breakpoint
ALTER TABLE "accreditation_supervision_settings" ADD COLUMN "retired_competencies" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "accreditation_report_reminder" ADD CONSTRAINT "accreditation_report_reminder_supervision_id_accreditation_supervision_id_fk" FOREIGN KEY ("supervision_id") REFERENCES "public"."accreditation_supervision"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_report_reminder" ADD CONSTRAINT "accreditation_report_reminder_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accreditation_report_reminder" ADD CONSTRAINT "accreditation_report_reminder_recipient_user_id_user_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accreditation_report_reminder_org_idx" ON "accreditation_report_reminder" USING btree ("organisation_id","sent_at");