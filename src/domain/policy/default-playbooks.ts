/**
 * The default playbooks, transcribed from section 4 of the domain guide. Each milestone lists the
 * internal tasks (with the team time they cost, so a playbook can be checked against its segment's
 * effort budget), the customer emails the automation ladder sends, and the escalations that fire
 * when a condition holds at that milestone.
 *
 * Effort totals (checked by the policy tests): enterprise 23 h (budget 15–25), mid-market 7.5 h
 * (5–10), SMB 1.5 h (1–3), SMB automated 0 h, at-risk 25.5 h (no budget: save mode).
 */
import type { Playbook } from './policy-schema.ts';

const enterprise: Playbook = {
  milestones: [
    {
      key: 'T-150',
      tasks: [
        {
          key: 'account-review',
          title:
            'Account review: health, adoption, value, relationships, concerns, competition, business changes',
          ownerRole: 'csm',
          estimateHours: 2.5,
        },
        {
          key: 'stakeholder-map',
          title: 'Map stakeholders: role, strength, stance, last contact, owner, next contact',
          ownerRole: 'csm',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-120',
      tasks: [
        {
          key: 'health-validation',
          title: 'Validate the health score with the account team',
          ownerRole: 'csm',
          estimateHours: 1,
        },
        {
          key: 'value-documentation',
          title: 'Document value delivered: usage, time and cost saved, revenue impact, quality, CSAT/NPS',
          ownerRole: 'csm',
          estimateHours: 2,
        },
        {
          key: 'choose-strategy',
          title: 'Choose and document the renewal strategy',
          ownerRole: 'owner',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-90',
      tasks: [
        {
          key: 'internal-kickoff',
          title: 'Internal kickoff: background, health, strategy, materials, stakeholder plan, owners',
          ownerRole: 'owner',
          estimateHours: 1.5,
        },
        {
          key: 'expansion-assessment',
          title: 'Expansion assessment: products or seats, value, business case, pricing — or why not',
          ownerRole: 'sales',
          estimateHours: 1.5,
        },
        {
          key: 'risk-mitigation-plan',
          title: 'Risk mitigation plan per concern: cause, action, who, how long, how verified',
          ownerRole: 'csm',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-60',
      tasks: [
        {
          key: 'value-review-meeting',
          title: 'Value review meeting: usage and ROI presentation, future-state discussion',
          ownerRole: 'csm',
          estimateHours: 2.5,
        },
        {
          key: 'preliminary-terms',
          title: 'Share preliminary terms: 1/2/3-year options, flat, increase or volume change',
          ownerRole: 'owner',
          estimateHours: 1,
        },
      ],
      emails: [
        { key: 'renewal-notice-champion', template: 'renewal-notice', audience: 'champion' },
        { key: 'renewal-notice-economic-buyer', template: 'renewal-notice', audience: 'economic_buyer' },
      ],
      escalations: [],
    },
    {
      key: 'T-45',
      tasks: [
        {
          key: 'build-proposal',
          title:
            'Build the proposal: executive summary, value delivered, terms and pricing, expansion options',
          ownerRole: 'owner',
          estimateHours: 2,
        },
        {
          key: 'internal-approvals',
          title: 'Internal approvals: pricing, custom terms, discounts per the authority matrix',
          ownerRole: 'manager',
          estimateHours: 0.5,
        },
        {
          key: 'executive-alignment',
          title: 'Executive alignment on the proposal',
          ownerRole: 'executive',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-30',
      tasks: [
        {
          key: 'present-proposal',
          title: 'Present the proposal live and agree a concrete signature date',
          ownerRole: 'owner',
          estimateHours: 1.5,
        },
        {
          key: 'negotiate-terms',
          title: 'Negotiate price, payment terms, term length and seats',
          ownerRole: 'owner',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-14',
      tasks: [
        {
          key: 'generate-contract',
          title: 'Generate the contract from the approved proposal and send it for e-signature',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
        {
          key: 'legal-review',
          title: 'Legal review of the contract',
          ownerRole: 'legal',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [{ key: 'late-stage-check', condition: 'not_late_stage', to: 'manager' }],
    },
    {
      key: 'T-7',
      tasks: [
        {
          key: 'daily-status-check',
          title: 'Daily status check-ins until the renewal is signed',
          ownerRole: 'owner',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [{ key: 'unsigned-at-t7', condition: 'unsigned', to: 'executive' }],
    },
    {
      key: 'T-0',
      tasks: [
        {
          key: 'close-renewal',
          title: 'Collect signatures, mark closed-won, update the CRM, create the next term',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [],
    },
  ],
};

const midMarket: Playbook = {
  milestones: [
    {
      key: 'T-90',
      tasks: [
        {
          key: 'account-review',
          title: 'Account review and renewal strategy (internal, no customer contact)',
          ownerRole: 'csm',
          estimateHours: 1.5,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-60',
      tasks: [
        {
          key: 'value-review-meeting',
          title: 'Value review meeting with usage and ROI summary',
          ownerRole: 'csm',
          estimateHours: 1.5,
        },
      ],
      emails: [
        { key: 'renewal-notice-champion', template: 'renewal-notice', audience: 'champion' },
        { key: 'renewal-notice-economic-buyer', template: 'renewal-notice', audience: 'economic_buyer' },
      ],
      escalations: [],
    },
    {
      key: 'T-45',
      tasks: [
        {
          key: 'build-proposal',
          title: 'Build the renewal proposal',
          ownerRole: 'owner',
          estimateHours: 1.5,
        },
        {
          key: 'internal-approvals',
          title: 'Approve pricing and discounts per the authority matrix',
          ownerRole: 'manager',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-30',
      tasks: [
        {
          key: 'present-proposal',
          title: 'Deliver the proposal live and agree a signature date',
          ownerRole: 'owner',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-14',
      tasks: [
        {
          key: 'collect-signature',
          title: 'Generate the contract and collect the e-signature',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
      ],
      emails: [{ key: 'renewal-follow-up', template: 'renewal-follow-up', audience: 'champion' }],
      escalations: [{ key: 'late-stage-check', condition: 'not_late_stage', to: 'manager' }],
    },
    {
      key: 'T-7',
      tasks: [
        {
          key: 'final-follow-up',
          title: 'Final follow-up on the unsigned renewal',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [{ key: 'unsigned-at-t7', condition: 'unsigned', to: 'manager' }],
    },
    {
      key: 'T-0',
      tasks: [
        {
          key: 'close-renewal',
          title: 'Mark closed-won, update the CRM, create the next term',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [],
    },
  ],
};

const smb: Playbook = {
  milestones: [
    {
      key: 'T-60',
      tasks: [
        { key: 'quick-health-check', title: 'Quick health check', ownerRole: 'owner', estimateHours: 0.5 },
      ],
      emails: [{ key: 'renewal-heads-up', template: 'renewal-heads-up', audience: 'primary_contact' }],
      escalations: [],
    },
    {
      key: 'T-30',
      tasks: [
        {
          key: 'generate-proposal',
          title: 'Generate the proposal with one-click renewal',
          ownerRole: 'system',
          estimateHours: 0,
        },
      ],
      emails: [{ key: 'renewal-proposal', template: 'renewal-one-click', audience: 'primary_contact' }],
      escalations: [],
    },
    {
      key: 'T-14',
      tasks: [
        {
          key: 'follow-up',
          title: 'Follow up on the renewal proposal',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
      ],
      emails: [{ key: 'renewal-follow-up', template: 'renewal-follow-up', audience: 'primary_contact' }],
      escalations: [],
    },
    {
      key: 'T-7',
      tasks: [],
      emails: [
        { key: 'renewal-final-reminder', template: 'renewal-final-reminder', audience: 'primary_contact' },
      ],
      escalations: [{ key: 'no-answer', condition: 'no_response', to: 'owner' }],
    },
    {
      key: 'T-0',
      tasks: [
        {
          key: 'close-renewal',
          title: 'Mark closed-won and create the next term',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [],
    },
  ],
};

const smbAutomated: Playbook = {
  milestones: [
    {
      key: 'T-60',
      tasks: [
        { key: 'health-check', title: 'Automated health check', ownerRole: 'system', estimateHours: 0 },
      ],
      emails: [{ key: 'renewal-heads-up', template: 'auto-renewal-heads-up', audience: 'primary_contact' }],
      escalations: [],
    },
    {
      key: 'T-30',
      tasks: [],
      emails: [
        {
          key: 'auto-renewal-notice',
          template: 'auto-renewal-notice-value-summary',
          audience: 'primary_contact',
        },
      ],
      escalations: [],
    },
    {
      key: 'T-0',
      tasks: [
        {
          key: 'record-renewal',
          title: 'Record the automatic renewal and create the next term',
          ownerRole: 'system',
          estimateHours: 0,
        },
      ],
      emails: [],
      escalations: [],
    },
  ],
};

const atRisk: Playbook = {
  milestones: [
    {
      key: 'T-180',
      tasks: [
        {
          key: 'risk-diagnosis',
          title: 'Diagnose the risk: root causes, stakeholders, competitors, business changes',
          ownerRole: 'owner',
          estimateHours: 3,
        },
        {
          key: 'save-plan',
          title: 'Write the save plan: fight or let go, actions, owners, dates',
          ownerRole: 'owner',
          estimateHours: 2,
        },
        {
          key: 'executive-escalation',
          title: 'Executive escalation: brief our executive and engage theirs',
          ownerRole: 'executive',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [{ key: 'save-mode-started', condition: 'always', to: 'manager' }],
    },
    {
      key: 'T-150',
      tasks: [
        {
          key: 'issue-resolution-sprint',
          title: 'Issue-resolution sprint with product and engineering',
          ownerRole: 'csm',
          estimateHours: 4,
        },
      ],
      emails: [{ key: 'executive-outreach', template: 'executive-outreach', audience: 'economic_buyer' }],
      escalations: [],
    },
    {
      key: 'T-120',
      tasks: [
        {
          key: 'health-revalidation',
          title: 'Re-validate health after the recovery phase',
          ownerRole: 'csm',
          estimateHours: 1,
        },
        {
          key: 'stakeholder-map',
          title: 'Rebuild the stakeholder map and multi-thread the relationship',
          ownerRole: 'csm',
          estimateHours: 1.5,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-90',
      tasks: [
        {
          key: 'internal-kickoff',
          title: 'Internal kickoff with the risk mitigation plan',
          ownerRole: 'owner',
          estimateHours: 1.5,
        },
        {
          key: 'risk-mitigation-plan',
          title: 'Risk mitigation plan per concern: cause, action, who, how long, how verified',
          ownerRole: 'csm',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-60',
      tasks: [
        {
          key: 'value-review-meeting',
          title: 'Value review meeting: what was fixed and the value delivered',
          ownerRole: 'csm',
          estimateHours: 2.5,
        },
      ],
      emails: [
        { key: 'renewal-notice-champion', template: 'renewal-notice', audience: 'champion' },
        { key: 'renewal-notice-economic-buyer', template: 'renewal-notice', audience: 'economic_buyer' },
      ],
      escalations: [],
    },
    {
      key: 'T-45',
      tasks: [
        { key: 'build-proposal', title: 'Build the save proposal', ownerRole: 'owner', estimateHours: 2 },
        {
          key: 'concession-approvals',
          title: 'Approve concessions per the authority matrix',
          ownerRole: 'manager',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-30',
      tasks: [
        {
          key: 'present-proposal',
          title: 'Present the proposal live and agree a signature date',
          ownerRole: 'owner',
          estimateHours: 1.5,
        },
        {
          key: 'negotiate-terms',
          title: 'Negotiate price, payment terms, term length and seats',
          ownerRole: 'owner',
          estimateHours: 1.5,
        },
      ],
      emails: [],
      escalations: [],
    },
    {
      key: 'T-14',
      tasks: [
        {
          key: 'generate-contract',
          title: 'Generate the contract and send it for e-signature',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [{ key: 'late-stage-check', condition: 'not_late_stage', to: 'executive' }],
    },
    {
      key: 'T-7',
      tasks: [
        {
          key: 'daily-status-check',
          title: 'Daily status check-ins until the renewal is signed',
          ownerRole: 'owner',
          estimateHours: 1,
        },
      ],
      emails: [],
      escalations: [{ key: 'unsigned-at-t7', condition: 'unsigned', to: 'executive' }],
    },
    {
      key: 'T-0',
      tasks: [
        {
          key: 'close-renewal',
          title: 'Record the outcome, update the CRM, create the next term or the loss review',
          ownerRole: 'owner',
          estimateHours: 0.5,
        },
      ],
      emails: [],
      escalations: [],
    },
  ],
};

/** Fresh copies, so a caller mutating its parsed policy never changes the defaults. */
export function defaultPlaybooks(): {
  enterprise: Playbook;
  mid_market: Playbook;
  smb: Playbook;
  smb_automated: Playbook;
  at_risk: Playbook;
} {
  return structuredClone({
    enterprise,
    mid_market: midMarket,
    smb,
    smb_automated: smbAutomated,
    at_risk: atRisk,
  });
}
