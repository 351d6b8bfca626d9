DROP INDEX "pages_incident_idx";--> statement-breakpoint
CREATE INDEX "incidents_declared_at_idx" ON "incidents" USING btree ("declared_at");--> statement-breakpoint
CREATE INDEX "pages_paged_at_idx" ON "pages" USING btree ("paged_at");--> statement-breakpoint
CREATE INDEX "incident_clocks_due_at_idx" ON "incident_clocks" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "pages_incident_idx" ON "pages" USING btree ("incident_id","paged_at");