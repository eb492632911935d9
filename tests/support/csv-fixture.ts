/** Writes a small, valid canonical CSV set into a fresh temp directory, with per-file overrides. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const BASE_FILES: Record<string, string> = {
  'users.csv': [
    'user_id,name,email,role,manager_id',
    'U-1,Mara Lind,mara@vendor.example,manager,',
    'U-2,Kenji Ito,kenji@vendor.example,csm,U-1',
    'U-3,Sofia Ruiz,sofia@vendor.example,sales,U-1',
  ].join('\n'),
  'accounts.csv': [
    'account_id,name,industry,country,currency,fiscal_year_start_month,segment_override,strategic,owner_csm,owner_sales,timezone,plan',
    'A-1,Acme Retail,retail,US,USD,1,,false,U-2,U-3,America/New_York,premium',
    'A-2,Kobe Tax KK,tax,JP,JPY,4,,no,U-2,,Asia/Tokyo,standard',
    'A-3,"Berlin Schulen, e.V.",education,DE,EUR,,,yes,U-2,U-3,Europe/Berlin,',
  ].join('\n'),
  'contracts.csv': [
    'contract_id,account_id,start_date,end_date,arr,currency,seats,auto_renew,payment_on_file,notice_days,status,previous_contract_id',
    'C-0,A-1,2024-03-01,2025-02-28,110000.00,USD,90,false,false,,renewed,',
    'C-1,A-1,2025-03-01,2027-02-28,120000.00,USD,100,false,false,,active,C-0',
    'C-2,A-2,2026-04-01,2027-03-31,9000000,JPY,40,true,true,60,active,',
    'C-3,A-3,2024-09-01,2027-08-31,45000.50,EUR,60,1,0,90,active,',
  ].join('\n'),
  'usage.csv': [
    'account_id,date,active_users,licensed_seats,core_feature_adoption_pct',
    'A-1,2026-11-02,80,100,72.5',
    'A-1,2026-11-09,78,100,71',
    'A-2,2026-11-09,12,40,',
  ].join('\n'),
  'tickets.csv': [
    'ticket_id,account_id,opened_on,closed_on,priority,csat',
    'T-1,A-1,2026-10-01,2026-10-03,high,4',
    'T-2,A-2,2026-11-01,,urgent,',
  ].join('\n'),
  'surveys.csv': [
    'account_id,date,kind,score,comment',
    'A-1,2026-09-15,nps,9,"Love it, ""really"""',
    'A-2,2026-10-01,csat,2,"=HYPERLINK(""http://x"")"',
  ].join('\n'),
  'stakeholders.csv': [
    'stakeholder_id,account_id,name,email,role,strength,stance,last_contact_on,left_on',
    'S-1,A-1,Jane Doe,jane@acme.example,champion,strong,supporter,2026-11-01,',
    'S-2,A-1,Raj Patel,,economic_buyer,medium,neutral,2026-08-01,',
    'S-3,A-2,Aiko Sato,aiko@kobe.example,champion,weak,neutral,2026-06-01,2026-10-15',
  ].join('\n'),
  'signals.csv': [
    'account_id,date,kind,note',
    'A-2,2026-10-20,competitor_evaluation,asked for a feature comparison',
  ].join('\n'),
  'renewals.csv': [
    'contract_id,outcome,closed_on,stage,renewed_arr,term_years,reasons,competitor,signed_days_early',
    'C-0,won,2025-01-20,closed_won,120000.00,2,value_realized;executive_sponsor,,39',
  ].join('\n'),
};

export async function writeCsvSet(
  overrides: Record<string, string | null> = {},
  { bom = false, crlf = false }: { bom?: boolean; crlf?: boolean } = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-csv-'));
  const files = { ...BASE_FILES, ...overrides };
  for (const [name, content] of Object.entries(files)) {
    if (content === null) continue;
    const text = `${crlf ? content.replaceAll('\n', '\r\n') : content}${crlf ? '\r\n' : '\n'}`;
    await writeFile(path.join(dir, name), bom ? `\uFEFF${text}` : text);
  }
  return dir;
}
