CREATE TABLE "campaign_quotas" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"region_id" integer,
	"dept_code" text,
	"category_code" text NOT NULL,
	"count" integer NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expert_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL,
	"expert_id" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"due_on" date,
	"assigned_by" integer NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "expert_profiles" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"region_id" integer NOT NULL,
	"domains" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"employer_subject_id" integer,
	"home_region_id" integer,
	"related_subject_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"max_load" integer DEFAULT 10 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"sample_id" integer NOT NULL,
	"subject_id" integer NOT NULL,
	"region_path" text NOT NULL,
	"score" numeric,
	"findings" text,
	"inspected_on" date,
	"inspector_id" integer
);
--> statement-breakpoint
CREATE TABLE "inspection_samples" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_id" integer NOT NULL,
	"org_id" integer NOT NULL,
	"year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"mode" text NOT NULL,
	"seed" text NOT NULL,
	"size" integer NOT NULL,
	"population" integer NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "onsite_checks" (
	"id" serial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL,
	"assignment_id" integer,
	"expert_id" integer NOT NULL,
	"kind" text DEFAULT 'onsite' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"place" text,
	"latitude" numeric,
	"longitude" numeric,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"summary" text
);
--> statement-breakpoint
CREATE TABLE "onsite_findings" (
	"check_id" integer NOT NULL,
	"criterion_id" text NOT NULL,
	"met" boolean,
	"score" numeric,
	"note" text,
	"figures" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onsite_photos" (
	"id" serial PRIMARY KEY NOT NULL,
	"check_id" integer NOT NULL,
	"criterion_id" text,
	"storage_key" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"taken_at" timestamp with time zone,
	"latitude" numeric,
	"longitude" numeric,
	"source" text DEFAULT 'none' NOT NULL,
	"uploaded_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rectifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL,
	"check_id" integer,
	"criterion_id" text NOT NULL,
	"request" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"requested_by" integer NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answer" text,
	"answered_by" integer,
	"answered_at" timestamp with time zone,
	"recheck_note" text,
	"rechecked_by" integer,
	"rechecked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "selections" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"category_code" text NOT NULL,
	"stars" integer NOT NULL,
	"capacity" integer NOT NULL,
	"ranking" jsonb NOT NULL,
	"decided_by" integer NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signoffs" (
	"id" serial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL,
	"step" text NOT NULL,
	"org_id" integer NOT NULL,
	"dept_code" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"deadline" date,
	"comment" text,
	"signed_by" integer,
	"signed_at" timestamp with time zone,
	"override_reason" text,
	"overridden_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "supervising_dept" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "step" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "recommended_by_org_id" integer;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "lower_title_id" integer;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "selected" boolean;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "chain" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "min_notice_days" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "parent_campaign_id" integer;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "withdrawn_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD COLUMN "rectification_id" integer;--> statement-breakpoint
ALTER TABLE "notice_items" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notice_items" ADD COLUMN "removed_reason" text;--> statement-breakpoint
ALTER TABLE "public_notices" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "public_notices" ADD COLUMN "withdrawn_reason" text;--> statement-breakpoint
ALTER TABLE "public_notices" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "step" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "campaign_quotas" ADD CONSTRAINT "campaign_quotas_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_quotas" ADD CONSTRAINT "campaign_quotas_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_assignments" ADD CONSTRAINT "expert_assignments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_assignments" ADD CONSTRAINT "expert_assignments_expert_id_users_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_assignments" ADD CONSTRAINT "expert_assignments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_profiles" ADD CONSTRAINT "expert_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_profiles" ADD CONSTRAINT "expert_profiles_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_profiles" ADD CONSTRAINT "expert_profiles_employer_subject_id_subjects_id_fk" FOREIGN KEY ("employer_subject_id") REFERENCES "public"."subjects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_profiles" ADD CONSTRAINT "expert_profiles_home_region_id_regions_id_fk" FOREIGN KEY ("home_region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_items" ADD CONSTRAINT "inspection_items_sample_id_inspection_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."inspection_samples"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_items" ADD CONSTRAINT "inspection_items_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_items" ADD CONSTRAINT "inspection_items_inspector_id_users_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_samples" ADD CONSTRAINT "inspection_samples_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_samples" ADD CONSTRAINT "inspection_samples_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_samples" ADD CONSTRAINT "inspection_samples_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_checks" ADD CONSTRAINT "onsite_checks_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_checks" ADD CONSTRAINT "onsite_checks_assignment_id_expert_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."expert_assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_checks" ADD CONSTRAINT "onsite_checks_expert_id_users_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_findings" ADD CONSTRAINT "onsite_findings_check_id_onsite_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."onsite_checks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_photos" ADD CONSTRAINT "onsite_photos_check_id_onsite_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."onsite_checks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onsite_photos" ADD CONSTRAINT "onsite_photos_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_check_id_onsite_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."onsite_checks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectifications" ADD CONSTRAINT "rectifications_rechecked_by_users_id_fk" FOREIGN KEY ("rechecked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selections" ADD CONSTRAINT "selections_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selections" ADD CONSTRAINT "selections_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signoffs" ADD CONSTRAINT "signoffs_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signoffs" ADD CONSTRAINT "signoffs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signoffs" ADD CONSTRAINT "signoffs_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signoffs" ADD CONSTRAINT "signoffs_overridden_by_users_id_fk" FOREIGN KEY ("overridden_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_quotas_uq" ON "campaign_quotas" USING btree ("campaign_id","category_code","region_id","dept_code");--> statement-breakpoint
CREATE UNIQUE INDEX "expert_assignments_uq" ON "expert_assignments" USING btree ("application_id","expert_id");--> statement-breakpoint
CREATE INDEX "expert_assignments_expert_idx" ON "expert_assignments" USING btree ("expert_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_items_uq" ON "inspection_items" USING btree ("sample_id","subject_id");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","read_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe" ON "notifications" USING btree ("user_id","dedupe_key");--> statement-breakpoint
CREATE UNIQUE INDEX "onsite_checks_uq" ON "onsite_checks" USING btree ("application_id","expert_id");--> statement-breakpoint
CREATE UNIQUE INDEX "onsite_findings_pk" ON "onsite_findings" USING btree ("check_id","criterion_id");--> statement-breakpoint
CREATE INDEX "onsite_photos_check_idx" ON "onsite_photos" USING btree ("check_id");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "rectifications_app_idx" ON "rectifications" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signoffs_uq" ON "signoffs" USING btree ("application_id","step","org_id");--> statement-breakpoint
CREATE INDEX "signoffs_org_idx" ON "signoffs" USING btree ("org_id","status");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_recommended_by_org_id_organisations_id_fk" FOREIGN KEY ("recommended_by_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "applications_step_idx" ON "applications" USING btree ("campaign_id","step");--> statement-breakpoint
CREATE INDEX "applications_updated_idx" ON "applications" USING btree ("updated_at","id");--> statement-breakpoint
-- reviews saved before chains were one row per save: each keeps a step of its own, nothing is lost
UPDATE "reviews" SET "step" = 'legacy_' || "id" WHERE "step" = '';--> statement-breakpoint
UPDATE "applications" a SET "supervising_dept" = s."supervising_dept" FROM "subjects" s WHERE s."id" = a."subject_id";--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_one_per_step" ON "reviews" USING btree ("application_id","step","reviewer_id");