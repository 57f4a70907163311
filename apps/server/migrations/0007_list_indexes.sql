CREATE INDEX "applications_counts_idx" ON "applications" USING btree ("region_path","status","category_code","supervising_dept");--> statement-breakpoint
CREATE INDEX "subjects_region_kind_idx" ON "subjects" USING btree ("region_id","kind");--> statement-breakpoint
CREATE INDEX "titles_scope_idx" ON "titles" USING btree ("region_path","category_code","stars");