CREATE TABLE "appeals" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"filed_by" integer NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reply" text,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ballot_choices" (
	"ballot_id" integer NOT NULL,
	"candidate_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ballots" (
	"id" serial PRIMARY KEY NOT NULL,
	"vote_id" integer NOT NULL,
	"voter_hash" text NOT NULL,
	"network_hash" text NOT NULL,
	"device_hash" text NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"set_aside" boolean DEFAULT false NOT NULL,
	"set_aside_reason" text,
	"set_aside_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"layout" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"pdf_key" text,
	"zip_key" text,
	"error" text,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incident_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"storage_key" text NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_titles" (
	"incident_id" integer NOT NULL,
	"title_id" integer NOT NULL,
	"from_status" text NOT NULL,
	"from_stars" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"occurred_on" date NOT NULL,
	"place" text NOT NULL,
	"description" text NOT NULL,
	"subject_id" integer,
	"region_id" integer,
	"region_path" text NOT NULL,
	"reported_by_org" integer NOT NULL,
	"reported_by" integer NOT NULL,
	"status" text DEFAULT 'reported' NOT NULL,
	"proposed_consequence" text NOT NULL,
	"consequence" text,
	"decision_reason" text,
	"decided_by" integer,
	"decided_on" date,
	"appeal_until" date,
	"ineligible_year" integer,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objection_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"objection_id" integer NOT NULL,
	"storage_key" text NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objections" (
	"id" serial PRIMARY KEY NOT NULL,
	"public_code" text NOT NULL,
	"notice_id" integer NOT NULL,
	"application_id" integer NOT NULL,
	"anonymous" boolean NOT NULL,
	"objector_name" text,
	"objector_phone" text,
	"phone_hash" text,
	"ip_hash" text NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"reply" text,
	"findings" text,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "objections_public_code_unique" UNIQUE("public_code")
);
--> statement-breakpoint
CREATE TABLE "phone_codes" (
	"id" serial PRIMARY KEY NOT NULL,
	"phone_hash" text NOT NULL,
	"purpose" text NOT NULL,
	"code_hash" text NOT NULL,
	"ip_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "title_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"title_id" integer NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"from_stars" integer,
	"to_stars" integer,
	"reason" text,
	"incident_id" integer,
	"appeal_id" integer,
	"actor_id" integer,
	"on" date NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vote_candidates" (
	"id" serial PRIMARY KEY NOT NULL,
	"vote_id" integer NOT NULL,
	"application_id" integer NOT NULL,
	"public_code" text NOT NULL,
	CONSTRAINT "vote_candidates_public_code_unique" UNIQUE("public_code")
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"id" serial PRIMARY KEY NOT NULL,
	"public_code" text NOT NULL,
	"campaign_id" integer NOT NULL,
	"category_code" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"max_choices" integer NOT NULL,
	"weight_percent" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" integer NOT NULL,
	"closed_at" timestamp with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "votes_public_code_unique" UNIQUE("public_code")
);
--> statement-breakpoint
ALTER TABLE "notice_items" ADD COLUMN "public_code" text;--> statement-breakpoint
UPDATE "notice_items" SET "public_code" = substr(md5(random()::text || clock_timestamp()::text || notice_id::text || '-' || application_id::text), 1, 16);--> statement-breakpoint
ALTER TABLE "notice_items" ALTER COLUMN "public_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "public_notices" ADD COLUMN "public_code" text;--> statement-breakpoint
UPDATE "public_notices" SET "public_code" = substr(md5(random()::text || clock_timestamp()::text || id::text), 1, 16);--> statement-breakpoint
ALTER TABLE "public_notices" ALTER COLUMN "public_code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "status" text DEFAULT 'valid' NOT NULL;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "status_since" date;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "valid_until" date;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "naming_document" text;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "signed_data" text;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "signature" text;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "signature_alg" text;--> statement-breakpoint
UPDATE "titles" SET "valid_until" = (("year" + 1)::text || '-12-31')::date, "status" = CASE WHEN "revoked_at" IS NULL THEN 'valid' ELSE 'revoked' END, "status_reason" = "revoke_reason";--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_choices" ADD CONSTRAINT "ballot_choices_ballot_id_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."ballots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_choices" ADD CONSTRAINT "ballot_choices_candidate_id_vote_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."vote_candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_set_aside_by_users_id_fk" FOREIGN KEY ("set_aside_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_batches" ADD CONSTRAINT "certificate_batches_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_batches" ADD CONSTRAINT "certificate_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_files" ADD CONSTRAINT "incident_files_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_titles" ADD CONSTRAINT "incident_titles_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_titles" ADD CONSTRAINT "incident_titles_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reported_by_org_organisations_id_fk" FOREIGN KEY ("reported_by_org") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objection_files" ADD CONSTRAINT "objection_files_objection_id_objections_id_fk" FOREIGN KEY ("objection_id") REFERENCES "public"."objections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objections" ADD CONSTRAINT "objections_notice_id_public_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."public_notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objections" ADD CONSTRAINT "objections_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objections" ADD CONSTRAINT "objections_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "title_events" ADD CONSTRAINT "title_events_title_id_titles_id_fk" FOREIGN KEY ("title_id") REFERENCES "public"."titles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "title_events" ADD CONSTRAINT "title_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_candidates" ADD CONSTRAINT "vote_candidates_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_candidates" ADD CONSTRAINT "vote_candidates_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_incident_uq" ON "appeals" USING btree ("incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_choices_pk" ON "ballot_choices" USING btree ("ballot_id","candidate_id");--> statement-breakpoint
CREATE INDEX "ballot_choices_cand_idx" ON "ballot_choices" USING btree ("candidate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ballots_voter_uq" ON "ballots" USING btree ("vote_id","voter_hash");--> statement-breakpoint
CREATE INDEX "ballots_vote_idx" ON "ballots" USING btree ("vote_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_titles_pk" ON "incident_titles" USING btree ("incident_id","title_id");--> statement-breakpoint
CREATE INDEX "incidents_subject_idx" ON "incidents" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "incidents_path_idx" ON "incidents" USING btree ("region_path");--> statement-breakpoint
CREATE INDEX "objections_app_idx" ON "objections" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "objections_notice_idx" ON "objections" USING btree ("notice_id","status");--> statement-breakpoint
CREATE INDEX "phone_codes_phone_idx" ON "phone_codes" USING btree ("phone_hash","created_at");--> statement-breakpoint
CREATE INDEX "phone_codes_ip_idx" ON "phone_codes" USING btree ("ip_hash","created_at");--> statement-breakpoint
CREATE INDEX "title_events_title_idx" ON "title_events" USING btree ("title_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vote_candidates_uq" ON "vote_candidates" USING btree ("vote_id","application_id");--> statement-breakpoint
ALTER TABLE "notice_items" ADD CONSTRAINT "notice_items_public_code_unique" UNIQUE("public_code");--> statement-breakpoint
ALTER TABLE "public_notices" ADD CONSTRAINT "public_notices_public_code_unique" UNIQUE("public_code");