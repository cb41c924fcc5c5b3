CREATE TABLE "schemas" (
	"id" text PRIMARY KEY NOT NULL,
	"content" json NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "schema_id" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "schema_id" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "data" json;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "reasoning" text;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_schema_id_schemas_id_fk" FOREIGN KEY ("schema_id") REFERENCES "public"."schemas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_schema_id_schemas_id_fk" FOREIGN KEY ("schema_id") REFERENCES "public"."schemas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "responses_schema_idx" ON "responses" USING btree ("schema_id","id") WHERE "responses"."schema_id" is not null;