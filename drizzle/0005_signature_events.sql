CREATE TABLE "signature_events" (
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"signature_id" bigint,
	"kind" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signature_events_provider_event_id_pk" PRIMARY KEY("provider","event_id")
);
