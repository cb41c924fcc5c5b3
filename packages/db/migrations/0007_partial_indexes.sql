ALTER TABLE "responses" DROP CONSTRAINT "responses_batch_custom_id_unique";--> statement-breakpoint
DROP INDEX "responses_conversation_idx";--> statement-breakpoint
DROP INDEX "responses_batch_idx";--> statement-breakpoint
DROP INDEX "responses_batch_status_idx";--> statement-breakpoint
DROP INDEX "responses_retention_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "responses_batch_custom_id_unique" ON "responses" USING btree ("batch_id","custom_id") WHERE "responses"."batch_id" is not null;--> statement-breakpoint
CREATE INDEX "responses_conversation_idx" ON "responses" USING btree ("conversation_id","id") WHERE "responses"."conversation_id" is not null;--> statement-breakpoint
CREATE INDEX "responses_batch_idx" ON "responses" USING btree ("batch_id","batch_index") WHERE "responses"."batch_id" is not null;--> statement-breakpoint
CREATE INDEX "responses_batch_status_idx" ON "responses" USING btree ("batch_id","status") WHERE "responses"."batch_id" is not null;--> statement-breakpoint
CREATE INDEX "responses_retention_idx" ON "responses" USING btree ("completed_at") WHERE "responses"."batch_id" is null and "responses"."completed_at" is not null;