/**
 * Presets for the standard CSV exports of Salesforce reports (Accounts, Opportunities, Contacts)
 * and HubSpot (companies, deals, contacts). Header names vary with report settings and languages,
 * so each canonical column lists the usual English labels and takes the first present. Won
 * opportunities / deals become contracts (their term and ARR); anything else a team's export
 * holds goes through a mapping file.
 */
import type { MappingSpec } from './mapping-spec.ts';

const SALESFORCE_CONTACT_ROLES: Record<string, string> = {
  'business user': 'user',
  user: 'user',
  'end user': 'user',
  influencer: 'user',
  evaluator: 'technical',
  'technical buyer': 'technical',
  'decision maker': 'decision_maker',
  'economic buyer': 'economic_buyer',
  'economic decision maker': 'economic_buyer',
  'executive sponsor': 'executive_sponsor',
  champion: 'champion',
  procurement: 'procurement',
  legal: 'legal',
  other: 'user',
};

const HUBSPOT_BUYING_ROLES: Record<string, string> = {
  'decision maker': 'decision_maker',
  'budget holder': 'economic_buyer',
  champion: 'champion',
  influencer: 'user',
  'end user': 'user',
  'executive sponsor': 'executive_sponsor',
  'legal and compliance': 'legal',
  blocker: 'user',
  other: 'user',
};

export const SALESFORCE_PRESET: MappingSpec = {
  name: 'salesforce',
  files: [
    {
      match: '^(accounts?|account[ _-].*|.*accounts?[ _-]?report.*)\\.csv$',
      target: 'accounts.csv',
      columns: {
        account_id: ['Account ID', 'Account ID (18)', 'Account Id', 'AccountId', 'Id'],
        name: ['Account Name', 'Name'],
        industry: ['Industry'],
        country: ['Billing Country', 'BillingCountry', 'Country'],
        currency: ['Account Currency', 'Currency ISO Code', 'CurrencyIsoCode', 'Currency'],
        owner_sales: ['Account Owner ID', 'Owner ID', 'OwnerId', 'Account Owner Alias'],
        owner_csm: ['Customer Success Manager ID', 'CSM ID', 'CSM'],
      },
      values: {},
      defaults: {},
      dates: [],
      dateOrder: 'MDY',
      amounts: [],
      where: {},
      keepExtraColumns: true,
    },
    {
      match: '^(opportunit(y|ies)|.*opportunit(y|ies)[ _-]?report.*|.*opportunit(y|ies).*)\\.csv$',
      target: 'contracts.csv',
      columns: {
        contract_id: ['Opportunity ID', 'Opportunity ID (18)', 'OpportunityId', 'Id'],
        account_id: ['Account ID', 'Account ID (18)', 'AccountId'],
        start_date: ['Contract Start Date', 'Start Date', 'Service Start Date', 'Close Date'],
        end_date: ['Contract End Date', 'End Date', 'Service End Date', 'Renewal Date'],
        arr: ['ARR', 'Annual Recurring Revenue', 'Amount'],
        currency: [
          'Opportunity Currency',
          'Amount Currency',
          'Currency ISO Code',
          'CurrencyIsoCode',
          'Currency',
        ],
        seats: ['Seats', 'Quantity', 'Licenses'],
      },
      values: {},
      defaults: {},
      dates: ['start_date', 'end_date'],
      dateOrder: 'MDY',
      amounts: ['arr'],
      where: { Stage: ['Closed Won'] },
      keepExtraColumns: false,
    },
    {
      match: '^(contacts?|.*contacts?[ _-]?report.*|.*contacts?.*)\\.csv$',
      target: 'stakeholders.csv',
      columns: {
        stakeholder_id: ['Contact ID', 'Contact ID (18)', 'ContactId', 'Id'],
        account_id: ['Account ID', 'Account ID (18)', 'AccountId'],
        name: ['Full Name', 'Contact Name', 'Name'],
        email: ['Email'],
        role: ['Contact Role', 'Role'],
        last_contact_on: ['Last Activity', 'Last Activity Date', 'Last Contacted'],
      },
      values: { role: SALESFORCE_CONTACT_ROLES },
      defaults: { role: 'user' },
      dates: ['last_contact_on'],
      dateOrder: 'MDY',
      amounts: [],
      where: {},
      keepExtraColumns: false,
    },
  ],
};

export const HUBSPOT_PRESET: MappingSpec = {
  name: 'hubspot',
  files: [
    {
      match: '^(all-)?compan(y|ies).*\\.csv$',
      target: 'accounts.csv',
      columns: {
        account_id: ['Record ID', 'Company ID', 'Record ID - Company'],
        name: ['Company name', 'Name', 'Company Name'],
        industry: ['Industry'],
        country: ['Country/Region', 'Country'],
        currency: ['Currency', 'Company currency code', 'Deal currency code'],
        owner_sales: ['Company owner', 'HubSpot Owner ID', 'Company owner ID'],
        timezone: ['Time Zone', 'Timezone'],
      },
      values: {},
      defaults: {},
      dates: [],
      dateOrder: 'YMD',
      amounts: [],
      where: {},
      keepExtraColumns: true,
    },
    {
      match: '^(all-)?deals?.*\\.csv$',
      target: 'contracts.csv',
      columns: {
        contract_id: ['Record ID', 'Deal ID', 'Record ID - Deal'],
        account_id: [
          'Associated Company IDs (Primary)',
          'Associated Company ID',
          'Associated Company IDs',
          'Company ID',
        ],
        start_date: ['Contract start date', 'Start date', 'Close Date', 'Close date'],
        end_date: ['Contract end date', 'End date', 'Renewal date', 'Contract End Date'],
        arr: ['Annual recurring revenue', 'ARR', 'Amount', 'Amount in company currency'],
        currency: ['Currency', 'Deal currency code'],
      },
      values: {},
      defaults: {},
      dates: ['start_date', 'end_date'],
      dateOrder: 'YMD',
      amounts: ['arr'],
      where: { 'Deal Stage': ['Closed won', 'closedwon'] },
      keepExtraColumns: false,
    },
    {
      match: '^(all-)?contacts?.*\\.csv$',
      target: 'stakeholders.csv',
      columns: {
        stakeholder_id: ['Record ID', 'Contact ID', 'Record ID - Contact'],
        account_id: [
          'Associated Company IDs (Primary)',
          'Associated Company ID',
          'Associated Company IDs',
          'Company ID',
        ],
        name: { join: ['First Name', 'Last Name'], separator: ' ' },
        email: ['Email'],
        role: ['Buying Role', 'Buying role', 'Role'],
        last_contact_on: ['Last Contacted', 'Last contacted', 'Last Activity Date'],
      },
      values: { role: HUBSPOT_BUYING_ROLES },
      defaults: { role: 'user' },
      dates: ['last_contact_on'],
      dateOrder: 'YMD',
      amounts: [],
      where: {},
      keepExtraColumns: false,
    },
  ],
};

export const CRM_PRESETS = { salesforce: SALESFORCE_PRESET, hubspot: HUBSPOT_PRESET } as const;
export type CrmPreset = keyof typeof CRM_PRESETS;
