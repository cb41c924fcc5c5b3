CREATE TABLE "provider_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"batch_id" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"provider_batch_id" text,
	"status" text NOT NULL,
	"request_count" integer DEFAULT 0 NOT NULL,
	"error" text,
	"poll_round" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_poll_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	CONSTRAINT "provider_batches_status_check" CHECK ("provider_batches"."status" in ('submitting', 'in_progress', 'importing', 'ended', 'failed', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "mode" text DEFAULT 'realtime' NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "provider_batch_id" text;--> statement-breakpoint
ALTER TABLE "provider_batches" ADD CONSTRAINT "provider_batches_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_batches_batch_idx" ON "provider_batches" USING btree ("batch_id","id");--> statement-breakpoint
CREATE INDEX "provider_batches_status_idx" ON "provider_batches" USING btree ("status","id");--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_provider_batch_id_provider_batches_id_fk" FOREIGN KEY ("provider_batch_id") REFERENCES "public"."provider_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "responses_unfinished_idx" ON "responses" USING btree ("status","id") WHERE "responses"."provider_batch_id" is null and coalesce("responses"."chain_step", 1) = 1;--> statement-breakpoint
CREATE INDEX "responses_provider_batch_idx" ON "responses" USING btree ("provider_batch_id","status") WHERE "responses"."provider_batch_id" is not null;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_mode_check" CHECK ("batches"."mode" in ('realtime', 'provider'));