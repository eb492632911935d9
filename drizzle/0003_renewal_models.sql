CREATE TABLE "renewal_models" (
	"tenant_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"fitted_on" date NOT NULL,
	"model" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "renewal_models_tenant_id_fingerprint_pk" PRIMARY KEY("tenant_id","fingerprint")
);
