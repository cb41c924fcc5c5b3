CREATE TABLE "tool_results" (
	"response_id" text NOT NULL,
	"tool_call_id" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"output" text NOT NULL,
	"exception" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tool_results_response_id_tool_call_id_pk" PRIMARY KEY("response_id","tool_call_id")
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "endpoint" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "fallback_reason" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "metadata" jsonb;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "tools" json;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "tool_calls" json;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "chain_id" text;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "chain_step" integer;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "chain_limit" integer;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "chain_end" json;--> statement-breakpoint
ALTER TABLE "tool_results" ADD CONSTRAINT "tool_results_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "responses_chain_step_unique" ON "responses" USING btree ("chain_id","chain_step") WHERE "responses"."chain_id" is not null;