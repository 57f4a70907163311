CREATE TABLE "application_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL,
	"no" integer NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_by" integer,
	"form" jsonb NOT NULL,
	"contact_phone" text,
	"answers" jsonb NOT NULL,
	"evidence" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" integer,
	"username" text,
	"role" text,
	"ip" text,
	"user_agent" text,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"result" text NOT NULL,
	"detail" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "submissions" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD COLUMN "frozen_in" integer;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subjects" ADD COLUMN "id_number" text;--> statement-breakpoint
ALTER TABLE "subjects" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_secret" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "application_revisions" ADD CONSTRAINT "application_revisions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_revisions" ADD CONSTRAINT "application_revisions_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "application_revisions_uq" ON "application_revisions" USING btree ("application_id","no");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_user_idx" ON "audit_log" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "audit_action_idx" ON "audit_log" USING btree ("action","at");--> statement-breakpoint
-- The audit trail is append-only: no UPDATE, no TRUNCATE, and DELETE only for the audit
-- administrator's purge (the app sets pingan.audit_purge for that one statement) of rows past retention.
CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('pingan.audit_purge', true) = 'on' AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_guard();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard();--> statement-breakpoint
-- applications submitted before revisions existed: their current state becomes revision 1, frozen
UPDATE "applications" SET "submissions" = 1 WHERE "submitted_at" IS NOT NULL;--> statement-breakpoint
UPDATE "evidence_files" e SET "frozen_in" = 1 FROM "applications" a WHERE a."id" = e."application_id" AND a."submitted_at" IS NOT NULL;--> statement-breakpoint
INSERT INTO "application_revisions" ("application_id", "no", "submitted_at", "form", "answers", "evidence")
SELECT a."id", 1, a."submitted_at", a."form",
  COALESCE((SELECT jsonb_agg(jsonb_build_object('criterionId', x."criterion_id", 'statement', x."statement", 'figures', x."figures") ORDER BY x."criterion_id") FROM "answers" x WHERE x."application_id" = a."id"), '[]'::jsonb),
  COALESCE((SELECT jsonb_agg(jsonb_build_object('id', e."id", 'criterionId', e."criterion_id", 'fileName', e."file_name", 'sha256', e."sha256") ORDER BY e."id") FROM "evidence_files" e WHERE e."application_id" = a."id"), '[]'::jsonb)
FROM "applications" a WHERE a."submitted_at" IS NOT NULL;
