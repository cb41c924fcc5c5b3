CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"owner" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "attachment_owners" (
	"attachment_id" text NOT NULL,
	"owner" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachment_owners_owner_attachment_id_pk" PRIMARY KEY("owner","attachment_id")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"size" bigint NOT NULL,
	"url" text,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" text PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"template" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text NOT NULL,
	"total" integer NOT NULL,
	"error" text,
	"owner" text,
	"metadata" jsonb,
	"input_file_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "batches_status_check" CHECK ("batches"."status" in ('validating', 'queued', 'running', 'completed', 'cancelling', 'cancelled', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"model" text NOT NULL,
	"owner" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "files" (
	"id" text PRIMARY KEY NOT NULL,
	"filename" text NOT NULL,
	"purpose" text NOT NULL,
	"attachment_id" text NOT NULL,
	"bytes" bigint NOT NULL,
	"owner" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prompt_attachments" (
	"response_id" text NOT NULL,
	"attachment_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "prompt_attachments_response_id_position_pk" PRIMARY KEY("response_id","position")
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text,
	"batch_id" text,
	"batch_index" integer,
	"custom_id" text,
	"model" text NOT NULL,
	"resolved_model" text,
	"prompt" text DEFAULT '' NOT NULL,
	"system" text,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prompt_json" jsonb,
	"response" text,
	"response_json" jsonb,
	"status" text DEFAULT 'queued' NOT NULL,
	"error_kind" text,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"input_tokens" integer,
	"output_tokens" integer,
	"token_details" jsonb,
	"duration_ms" integer,
	"datetime_utc" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"idempotency_key" text,
	"owner" text,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', coalesce("responses"."prompt", '') || ' ' || coalesce("responses"."response", ''))) STORED,
	CONSTRAINT "responses_batch_custom_id_unique" UNIQUE("batch_id","custom_id"),
	CONSTRAINT "responses_status_check" CHECK ("responses"."status" in ('queued', 'running', 'succeeded', 'failed', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "attachment_owners" ADD CONSTRAINT "attachment_owners_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_attachments" ADD CONSTRAINT "prompt_attachments_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_attachments" ADD CONSTRAINT "prompt_attachments_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_owner_idx" ON "api_keys" USING btree ("owner");--> statement-breakpoint
CREATE INDEX "batches_owner_id_idx" ON "batches" USING btree ("owner","id");--> statement-breakpoint
CREATE INDEX "conversations_owner_id_idx" ON "conversations" USING btree ("owner","id");--> statement-breakpoint
CREATE INDEX "files_owner_id_idx" ON "files" USING btree ("owner","id");--> statement-breakpoint
CREATE INDEX "prompt_attachments_attachment_idx" ON "prompt_attachments" USING btree ("attachment_id");--> statement-breakpoint
CREATE INDEX "responses_owner_id_idx" ON "responses" USING btree ("owner","id");--> statement-breakpoint
CREATE INDEX "responses_conversation_idx" ON "responses" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE INDEX "responses_batch_idx" ON "responses" USING btree ("batch_id","batch_index");--> statement-breakpoint
CREATE INDEX "responses_batch_status_idx" ON "responses" USING btree ("batch_id","status");--> statement-breakpoint
CREATE INDEX "responses_model_idx" ON "responses" USING btree ("model","id");--> statement-breakpoint
CREATE INDEX "responses_status_idx" ON "responses" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "responses_search_idx" ON "responses" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "responses_idempotency_key_unique" ON "responses" USING btree (coalesce("owner", ''),"idempotency_key") WHERE "responses"."idempotency_key" is not null;