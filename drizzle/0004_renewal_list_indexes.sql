DROP INDEX "contracts_end_date_idx";--> statement-breakpoint
DROP INDEX "renewals_due_idx";--> statement-breakpoint
CREATE INDEX "contracts_arr_idx" ON "contracts" USING btree ("tenant_id","arr_minor","contract_id");--> statement-breakpoint
CREATE INDEX "renewals_outcome_due_idx" ON "renewals" USING btree ("tenant_id","outcome","due_date","contract_id");--> statement-breakpoint
CREATE INDEX "contracts_end_date_idx" ON "contracts" USING btree ("tenant_id","end_date","contract_id");--> statement-breakpoint
CREATE INDEX "renewals_due_idx" ON "renewals" USING btree ("tenant_id","due_date","contract_id");