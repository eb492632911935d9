CREATE INDEX "accounts_updated_idx" ON "accounts" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "contracts_updated_idx" ON "contracts" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "renewals_segment_due_idx" ON "renewals" USING btree ("tenant_id","segment","due_date","contract_id");--> statement-breakpoint
CREATE INDEX "renewals_band_due_idx" ON "renewals" USING btree ("tenant_id","health_band","due_date","contract_id");--> statement-breakpoint
CREATE INDEX "renewals_stage_due_idx" ON "renewals" USING btree ("tenant_id","stage","due_date","contract_id");--> statement-breakpoint
CREATE INDEX "renewals_risk_flags_idx" ON "renewals" USING gin ("risk_flags");--> statement-breakpoint
CREATE INDEX "renewals_health_idx" ON "renewals" USING btree ("tenant_id",coalesce("health_score", -1),"contract_id");--> statement-breakpoint
CREATE INDEX "renewals_probability_idx" ON "renewals" USING btree ("tenant_id",coalesce("probability", -1),"contract_id");--> statement-breakpoint
CREATE INDEX "renewals_undated_idx" ON "renewals" USING btree ("tenant_id","contract_id") WHERE "renewals"."due_date" IS NULL;--> statement-breakpoint
CREATE INDEX "stakeholders_updated_idx" ON "stakeholders" USING btree ("tenant_id","updated_at");