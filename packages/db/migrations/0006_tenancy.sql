CREATE TABLE "server_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "owner_limits" (
	"owner" text PRIMARY KEY NOT NULL,
	"budget_usd" double precision,
	"budget_period" text,
	"requests_per_minute" integer,
	"tokens_per_minute" integer,
	"max_concurrent" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "owner_limits_budget_period_check" CHECK ("owner_limits"."budget_period" is null or "owner_limits"."budget_period" in ('day', 'week', 'month')),
	CONSTRAINT "owner_limits_budget_has_period_check" CHECK ("owner_limits"."budget_usd" is null or "owner_limits"."budget_period" is not null)
);
--> statement-breakpoint
CREATE TABLE "usage_ledger" (
	"day" date NOT NULL,
	"owner" text DEFAULT '' NOT NULL,
	"api_key_id" text DEFAULT '' NOT NULL,
	"model" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_ledger_owner_day_api_key_id_model_pk" PRIMARY KEY("owner","day","api_key_id","model")
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"status_code" integer,
	"error" text,
	CONSTRAINT "webhook_attempts_delivery_id_attempt_pk" PRIMARY KEY("delivery_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text,
	"event_type" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"url" text NOT NULL,
	"payload" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("webhook_deliveries"."status" in ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_models" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "webhook_url" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "budget_usd" double precision;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "budget_period" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "requests_per_minute" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "tokens_per_minute" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "max_concurrent" integer;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "touched_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "api_key_id" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "webhook_url" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "webhook_queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "output_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "api_key_id" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "cost_usd" double precision;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "webhook_url" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "webhook_queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_ledger_key_day_idx" ON "usage_ledger" USING btree ("api_key_id","day");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_subject_idx" ON "webhook_deliveries" USING btree ("subject_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_owner_idx" ON "webhook_deliveries" USING btree ("owner","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "attachment_owners_attachment_idx" ON "attachment_owners" USING btree ("attachment_id");--> statement-breakpoint
CREATE INDEX "batches_webhook_due_idx" ON "batches" USING btree ("id") WHERE "batches"."webhook_url" is not null and "batches"."webhook_queued_at" is null;--> statement-breakpoint
CREATE INDEX "files_attachment_idx" ON "files" USING btree ("attachment_id");--> statement-breakpoint
CREATE INDEX "responses_webhook_due_idx" ON "responses" USING btree ("id") WHERE "responses"."webhook_url" is not null and "responses"."webhook_queued_at" is null and "responses"."status" in ('succeeded', 'failed');--> statement-breakpoint
CREATE INDEX "responses_retention_idx" ON "responses" USING btree ("completed_at") WHERE "responses"."batch_id" is null;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_budget_period_check" CHECK ("api_keys"."budget_period" is null or "api_keys"."budget_period" in ('day', 'week', 'month'));--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_budget_has_period_check" CHECK ("api_keys"."budget_usd" is null or "api_keys"."budget_period" is not null);--> statement-breakpoint
-- Uploads made without keys before this migration were held by no owner; the blob collector now removes attachments no one holds, so they are held by the keyless owner ('') as new ones are.
INSERT INTO "attachment_owners" ("attachment_id", "owner") SELECT "id", '' FROM "attachments" a WHERE NOT EXISTS (SELECT 1 FROM "attachment_owners" o WHERE o."attachment_id" = a."id") ON CONFLICT DO NOTHING;
