CREATE TABLE "filing_requirements" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"filers" text NOT NULL,
	"text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "filings" (
	"id" serial PRIMARY KEY NOT NULL,
	"requirement_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"file_key" text,
	"file_name" text,
	"content" jsonb,
	"note" text,
	"reason" text,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by" integer,
	"reminded_at" timestamp with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_indicators" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_id" integer NOT NULL,
	"year" integer NOT NULL,
	"indicator" text NOT NULL,
	"value" numeric NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"detail" jsonb,
	"recorded_by" integer,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "region_rankings" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope_region_id" integer NOT NULL,
	"level" text NOT NULL,
	"year" integer NOT NULL,
	"components" jsonb NOT NULL,
	"rows" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" integer
);
--> statement-breakpoint
CREATE TABLE "region_sanctions" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_id" integer NOT NULL,
	"year" integer NOT NULL,
	"kind" text NOT NULL,
	"rule_id" text NOT NULL,
	"reason" text NOT NULL,
	"ranking_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_invitations" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"region_id" integer,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"region_id" integer NOT NULL,
	"respondent_hash" text,
	"invitation_id" integer,
	"channel" text DEFAULT 'web' NOT NULL,
	"answers" jsonb NOT NULL,
	"import_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_targets" (
	"id" serial PRIMARY KEY NOT NULL,
	"survey_id" integer NOT NULL,
	"region_id" integer NOT NULL,
	"target" integer NOT NULL,
	"basis" text DEFAULT 'manual' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" serial PRIMARY KEY NOT NULL,
	"public_code" text NOT NULL,
	"region_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"intro" text,
	"questions" jsonb NOT NULL,
	"identity" text DEFAULT 'phone' NOT NULL,
	"subject_id" integer,
	"measure" jsonb,
	"status" text DEFAULT 'draft' NOT NULL,
	"opens_on" date,
	"closes_on" date,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "population" integer;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "households" integer;--> statement-breakpoint
ALTER TABLE "filing_requirements" ADD CONSTRAINT "filing_requirements_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filings" ADD CONSTRAINT "filings_requirement_id_filing_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."filing_requirements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filings" ADD CONSTRAINT "filings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filings" ADD CONSTRAINT "filings_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_indicators" ADD CONSTRAINT "region_indicators_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_indicators" ADD CONSTRAINT "region_indicators_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_rankings" ADD CONSTRAINT "region_rankings_scope_region_id_regions_id_fk" FOREIGN KEY ("scope_region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_rankings" ADD CONSTRAINT "region_rankings_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_sanctions" ADD CONSTRAINT "region_sanctions_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_sanctions" ADD CONSTRAINT "region_sanctions_ranking_id_region_rankings_id_fk" FOREIGN KEY ("ranking_id") REFERENCES "public"."region_rankings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_targets" ADD CONSTRAINT "survey_targets_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_targets" ADD CONSTRAINT "survey_targets_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "filing_requirements_uq" ON "filing_requirements" USING btree ("campaign_id","kind","filers");--> statement-breakpoint
CREATE UNIQUE INDEX "filings_uq" ON "filings" USING btree ("requirement_id","org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "region_indicators_uq" ON "region_indicators" USING btree ("region_id","year","indicator");--> statement-breakpoint
CREATE INDEX "region_indicators_year_idx" ON "region_indicators" USING btree ("year","indicator");--> statement-breakpoint
CREATE UNIQUE INDEX "region_rankings_uq" ON "region_rankings" USING btree ("scope_region_id","level","year");--> statement-breakpoint
CREATE UNIQUE INDEX "region_sanctions_uq" ON "region_sanctions" USING btree ("region_id","year","kind");--> statement-breakpoint
CREATE INDEX "region_sanctions_year_idx" ON "region_sanctions" USING btree ("year");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_uq" ON "survey_invitations" USING btree ("survey_id","code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_respondent_uq" ON "survey_responses" USING btree ("survey_id","respondent_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_invitation_uq" ON "survey_responses" USING btree ("invitation_id");--> statement-breakpoint
CREATE INDEX "survey_responses_region_idx" ON "survey_responses" USING btree ("survey_id","region_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_targets_uq" ON "survey_targets" USING btree ("survey_id","region_id");--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_public_code_uq" ON "surveys" USING btree ("public_code");--> statement-breakpoint
CREATE INDEX "surveys_region_idx" ON "surveys" USING btree ("region_id","year");