CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"proposal_id" bigint,
	"contract_id" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"sha256" text NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forecast_snapshots" (
	"tenant_id" text NOT NULL,
	"as_of" date NOT NULL,
	"contract_id" text NOT NULL,
	"account_id" text NOT NULL,
	"due_date" date NOT NULL,
	"segment" text,
	"owner_user_id" text,
	"arr_reporting_minor" bigint NOT NULL,
	"reporting_currency" text NOT NULL,
	"probability" double precision NOT NULL,
	"model_category" text NOT NULL,
	"csm_category" text,
	"category" text NOT NULL,
	"health_band" text,
	"risk_flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"factors" jsonb,
	CONSTRAINT "forecast_snapshots_tenant_id_as_of_contract_id_pk" PRIMARY KEY("tenant_id","as_of","contract_id")
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"account_id" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"terms" jsonb NOT NULL,
	"workflow" jsonb NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"signed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "signatures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"proposal_id" bigint NOT NULL,
	"document_id" bigint NOT NULL,
	"signer_name" text NOT NULL,
	"signer_email" text NOT NULL,
	"token_hash" text NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"viewed_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"signer_ip" text
);
--> statement-breakpoint
ALTER TABLE "renewals" ADD COLUMN "forecast_category" text;--> statement-breakpoint
ALTER TABLE "renewals" ADD COLUMN "csm_category" text;--> statement-breakpoint
ALTER TABLE "renewals" ADD COLUMN "csm_category_by" text;--> statement-breakpoint
ALTER TABLE "renewals" ADD COLUMN "csm_category_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "renewals" ADD COLUMN "csm_note" text;--> statement-breakpoint
CREATE INDEX "audit_entity_idx" ON "audit_log" USING btree ("tenant_id","entity","entity_id","at");--> statement-breakpoint
CREATE INDEX "documents_contract_idx" ON "documents" USING btree ("tenant_id","contract_id");--> statement-breakpoint
CREATE INDEX "forecast_snapshots_due_idx" ON "forecast_snapshots" USING btree ("tenant_id","due_date");--> statement-breakpoint
CREATE UNIQUE INDEX "proposals_version_idx" ON "proposals" USING btree ("tenant_id","contract_id","version");--> statement-breakpoint
CREATE INDEX "proposals_status_idx" ON "proposals" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "signatures_token_idx" ON "signatures" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "signatures_proposal_idx" ON "signatures" USING btree ("tenant_id","proposal_id");