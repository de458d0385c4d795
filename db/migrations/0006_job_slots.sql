CREATE TABLE "job_slot" (
	"name" text NOT NULL,
	"slot" bigint NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_slot_name_slot_pk" PRIMARY KEY("name","slot")
);
