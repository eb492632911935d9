CREATE TABLE "accounts" (
	"tenant_id" text NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"industry" text,
	"country" text,
	"currency" text NOT NULL,
	"fiscal_year_start_month" smallint DEFAULT 1 NOT NULL,
	"segment_override" text,
	"strategic" boolean DEFAULT false NOT NULL,
	"owner_csm" text,
	"owner_sales" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_tenant_id_account_id_pk" PRIMARY KEY("tenant_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"account_id" text NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"recipient_role" text NOT NULL,
	"recipient_user_id" text,
	"message" text NOT NULL,
	"created_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"account_id" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"arr_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"seats" integer,
	"auto_renew" boolean DEFAULT false NOT NULL,
	"payment_on_file" boolean DEFAULT false NOT NULL,
	"notice_days" integer,
	"status" text DEFAULT 'active' NOT NULL,
	"previous_contract_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contracts_tenant_id_contract_id_pk" PRIMARY KEY("tenant_id","contract_id")
);
--> statement-breakpoint
CREATE TABLE "daily_runs" (
	"tenant_id" text NOT NULL,
	"as_of" date NOT NULL,
	"policy_version" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"summary" jsonb NOT NULL,
	CONSTRAINT "daily_runs_tenant_id_as_of_pk" PRIMARY KEY("tenant_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "health_snapshots" (
	"tenant_id" text NOT NULL,
	"account_id" text NOT NULL,
	"as_of" date NOT NULL,
	"score" smallint NOT NULL,
	"band" text NOT NULL,
	"drivers" jsonb NOT NULL,
	CONSTRAINT "health_snapshots_tenant_id_account_id_as_of_pk" PRIMARY KEY("tenant_id","account_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"files" jsonb NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"contract_id" text,
	"recipient" text,
	"template" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"due_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"tenant_id" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	CONSTRAINT "policies_tenant_id_version_pk" PRIMARY KEY("tenant_id","version")
);
--> statement-breakpoint
CREATE TABLE "renewals" (
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"account_id" text NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"closed_on" date,
	"stage" text,
	"renewed_arr_minor" bigint,
	"term_years" smallint,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"competitor" text,
	"signed_days_early" integer,
	"due_date" date,
	"segment" text,
	"type" text,
	"motion" text,
	"owner_role" text,
	"owner_user_id" text,
	"owner_rule" text,
	"executive_engagement" boolean,
	"health_score" smallint,
	"health_band" text,
	"risk_flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"at_risk_since" date,
	"probability" double precision,
	"early_qualified" boolean,
	"evaluated_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "renewals_tenant_id_contract_id_pk" PRIMARY KEY("tenant_id","contract_id")
);
--> statement-breakpoint
CREATE TABLE "signals" (
	"tenant_id" text NOT NULL,
	"account_id" text NOT NULL,
	"date" date NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	CONSTRAINT "signals_tenant_id_account_id_date_kind_pk" PRIMARY KEY("tenant_id","account_id","date","kind")
);
--> statement-breakpoint
CREATE TABLE "stakeholders" (
	"tenant_id" text NOT NULL,
	"stakeholder_id" text NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"role" text NOT NULL,
	"strength" text,
	"stance" text,
	"last_contact_on" date,
	"left_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stakeholders_tenant_id_stakeholder_id_pk" PRIMARY KEY("tenant_id","stakeholder_id")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"tenant_id" text NOT NULL,
	"account_id" text NOT NULL,
	"date" date NOT NULL,
	"kind" text NOT NULL,
	"seq" smallint DEFAULT 1 NOT NULL,
	"score" smallint NOT NULL,
	"comment" text,
	CONSTRAINT "surveys_tenant_id_account_id_date_kind_seq_pk" PRIMARY KEY("tenant_id","account_id","date","kind","seq")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"contract_id" text NOT NULL,
	"account_id" text NOT NULL,
	"key" text NOT NULL,
	"milestone" text NOT NULL,
	"title" text NOT NULL,
	"owner_role" text NOT NULL,
	"owner_user_id" text,
	"due_date" date NOT NULL,
	"estimate_hours" double precision,
	"status" text DEFAULT 'open' NOT NULL,
	"created_on" date NOT NULL,
	"completed_on" date,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"tenant_id" text NOT NULL,
	"ticket_id" text NOT NULL,
	"account_id" text NOT NULL,
	"opened_on" date NOT NULL,
	"closed_on" date,
	"priority" text DEFAULT 'normal' NOT NULL,
	"csat" smallint,
	CONSTRAINT "tickets_tenant_id_ticket_id_pk" PRIMARY KEY("tenant_id","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "usage" (
	"tenant_id" text NOT NULL,
	"account_id" text NOT NULL,
	"date" date NOT NULL,
	"active_users" integer NOT NULL,
	"licensed_seats" integer,
	"core_feature_adoption_pct" double precision,
	CONSTRAINT "usage_tenant_id_account_id_date_pk" PRIMARY KEY("tenant_id","account_id","date")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"manager_id" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_tenant_id_account_id_accounts_tenant_id_account_id_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","account_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "renewals" ADD CONSTRAINT "renewals_tenant_id_contract_id_contracts_tenant_id_contract_id_fk" FOREIGN KEY ("tenant_id","contract_id") REFERENCES "public"."contracts"("tenant_id","contract_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stakeholders" ADD CONSTRAINT "stakeholders_tenant_id_account_id_accounts_tenant_id_account_id_fk" FOREIGN KEY ("tenant_id","account_id") REFERENCES "public"."accounts"("tenant_id","account_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_owner_csm_idx" ON "accounts" USING btree ("tenant_id","owner_csm");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_key_idx" ON "alerts" USING btree ("tenant_id","contract_id","key");--> statement-breakpoint
CREATE INDEX "alerts_created_idx" ON "alerts" USING btree ("tenant_id","created_on");--> statement-breakpoint
CREATE INDEX "contracts_account_idx" ON "contracts" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "contracts_end_date_idx" ON "contracts" USING btree ("tenant_id","end_date");--> statement-breakpoint
CREATE INDEX "contracts_previous_idx" ON "contracts" USING btree ("tenant_id","previous_contract_id");--> statement-breakpoint
CREATE INDEX "import_runs_tenant_idx" ON "import_runs" USING btree ("tenant_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_key_idx" ON "outbox" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "outbox_status_idx" ON "outbox" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "renewals_due_idx" ON "renewals" USING btree ("tenant_id","due_date");--> statement-breakpoint
CREATE INDEX "renewals_account_idx" ON "renewals" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE INDEX "renewals_owner_idx" ON "renewals" USING btree ("tenant_id","owner_user_id","due_date");--> statement-breakpoint
CREATE INDEX "stakeholders_account_idx" ON "stakeholders" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_step_idx" ON "tasks" USING btree ("tenant_id","contract_id","key");--> statement-breakpoint
CREATE INDEX "tasks_owner_idx" ON "tasks" USING btree ("tenant_id","owner_user_id","status","due_date");--> statement-breakpoint
CREATE INDEX "tickets_account_idx" ON "tickets" USING btree ("tenant_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_idx" ON "users" USING btree ("tenant_id",lower("email"));