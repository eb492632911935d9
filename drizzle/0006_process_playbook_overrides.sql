CREATE TABLE "playbook_entries" (
	"tenant_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"kind" text NOT NULL,
	"milestone" text,
	"language" text DEFAULT 'en' NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "playbook_entries_tenant_id_entry_id_pk" PRIMARY KEY("tenant_id","entry_id")
);
--> statement-breakpoint
ALTER TABLE "import_runs" ALTER COLUMN "finished_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "status" text DEFAULT 'done' NOT NULL;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "progress" jsonb;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "problems" jsonb;--> statement-breakpoint
ALTER TABLE "renewals" ADD COLUMN "close_outcome" text;--> statement-breakpoint
ALTER TABLE "renewals" ADD COLUMN "lessons" text;--> statement-breakpoint
ALTER TABLE "renewals" ADD COLUMN "owner_override_user_id" text;--> statement-breakpoint
ALTER TABLE "stakeholders" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "spent_hours" double precision;--> statement-breakpoint
CREATE INDEX "playbook_entries_milestone_idx" ON "playbook_entries" USING btree ("tenant_id","milestone");