DROP INDEX "responses_schema_idx";--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "schema_mismatches" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "responses_schema_owner_idx" ON "responses" USING btree ("schema_id","owner","id") WHERE "responses"."schema_id" is not null;