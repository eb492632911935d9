/** The renewal proposal in English. */
import type { OptionName, ScopeLine } from './proposal-content.ts';
import type { Formats, ProposalWords } from './proposal-templates.ts';

const TIERS = { good: 'Good', better: 'Better', best: 'Best' } as const;
const TIER_TEXT = {
  good: 'flat renewal',
  better: 'renewal + modest expansion',
  best: 'renewal + full expansion',
} as const;

function term(years: number): string {
  return years === 1 ? '1 year' : `${years} years`;
}

function scopeLine(line: ScopeLine, f: Formats): string {
  switch (line.kind) {
    case 'subscription':
      return line.seats === null ? 'Subscription' : `Subscription (${f.count(line.seats)} seats)`;
    case 'extra_seats':
      return `Additional seats (+${f.count(line.seats)})`;
    case 'extra_scope':
      return `Expanded scope (+${f.bps(line.bps)})`;
    case 'add_on':
      return line.seats === null ? line.label : `${line.label} (${f.count(line.seats)} seats)`;
    case 'other':
      return line.label;
  }
}

function extraText(line: ScopeLine, f: Formats): string {
  if (line.kind === 'extra_seats') return `+${f.count(line.seats)} seats`;
  if (line.kind === 'extra_scope') return `+${f.bps(line.bps)} scope`;
  return line.kind === 'add_on' || line.kind === 'other' ? line.label : '';
}

function optionName(name: OptionName, f: Formats): string {
  switch (name.kind) {
    case 'package': {
      const extras = name.extras.map((line) => extraText(line, f)).filter(Boolean);
      const schedule =
        name.termYears > 1 && name.tier === 'best'
          ? name.schedule === 'fixed'
            ? ' price locked'
            : ' escalating'
          : '';
      return `${TIERS[name.tier]}: ${TIER_TEXT[name.tier]}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}${
        name.tier === 'good' ? ', 1 year, current scope' : `, ${term(name.termYears)}${schedule}`
      }${name.earlyBps > 0 ? `, ${f.bps(name.earlyBps)} early-renewal discount` : ''}`;
    }
    case 'uplift':
      return `1-year renewal, +${f.bps(name.upliftBps)} price increase`;
    case 'volume':
      return `1-year renewal, ${f.count(name.seats)} seats (${name.change > 0 ? '+' : ''}${f.count(name.change)})`;
    case 'early':
      return `Early renewal, 1 year, ${f.bps(name.earlyBps)} off`;
    case 'multi_year': {
      const schedule =
        name.schedule === 'fixed'
          ? 'price locked'
          : `escalating (${name.stepsBps.map((bps, index) => `+${f.bps(bps)} in year ${index + 2}`).join(', ')})`;
      return `${name.termYears}-year, ${schedule}${name.earlyBps > 0 ? `, ${f.bps(name.earlyBps)} early-renewal discount` : ''}`;
    }
    case 'other':
      return name.label;
  }
}

function shortName(name: OptionName): string {
  switch (name.kind) {
    case 'package':
      return TIERS[name.tier];
    case 'uplift':
      return 'Price increase';
    case 'volume':
      return 'Seat change';
    case 'early':
      return 'Early renewal';
    case 'multi_year':
      return `${name.termYears}-year`;
    case 'other':
      return (name.label.split(/[:,]/)[0] ?? name.label).trim();
  }
}

export const ENGLISH_PROPOSAL: ProposalWords = {
  kicker: 'Renewal proposal',
  metaTitle: (account) => `Renewal proposal - ${account}`,
  metaSubject: (contractId, proposalId, version) =>
    `Renewal of contract ${contractId}, proposal ${proposalId} version ${version}`,
  subtitle: ({ prepared, forName, forRole, by, proposalId, version, contractId }) =>
    `Prepared ${prepared}${forName ? ` for ${forName}${forRole ? ` (${forRole})` : ''}` : ''}${
      by ? ` by ${by}` : ''
    } · Proposal ${proposalId}, version ${version} · Contract ${contractId}`,
  draftBanner: (reason) =>
    `DRAFT - ${reason === 'rejected' ? 'rejected internally' : 'pending internal approval'}. Not an offer until approved and sent.`,
  sections: {
    summary: 'Executive summary',
    value: 'Value delivered',
    contract: 'Current contract',
    options: 'Proposed options',
    expansion: 'Optional expansion',
    nextSteps: 'Next steps',
  },
  summary: (s) =>
    `Your ${s.seats === null ? '' : `${s.seats}-seat `}subscription (${s.arr} a year) runs until ${s.endDate}. ${
      s.headline ? `${s.headline}. ` : ''
    }${
      s.hoursPerYear && s.valuePerYear
        ? `We estimate the team saves about ${s.hoursPerYear} hours a year, worth about ${s.valuePerYear}. `
        : ''
    }Our recommendation - ${s.option}: ${s.termYears === 1 ? s.perYear[0] : s.perYear.join(', then ')}${
      s.termYears === 1 ? ' for one year' : ` over ${term(s.termYears)}`
    } - ${s.total} in total, ${s.discount}.`,
  tiles: {
    recommended: 'Recommended',
    yearOne: 'Year-1 investment',
    valuePerYear: 'Value per year',
    hoursSaved: (hours) => `${hours} hours saved`,
    noUsageData: 'no usage data',
    notAvailable: 'n/a',
    returnOnYearOne: 'Return on year 1',
    returnNote: 'value / investment',
    multiple: (value) => `${value}x`,
  },
  term,
  fact: (fact, f) => {
    switch (fact.kind) {
      case 'seats_active':
        return `${f.count(fact.active)} of ${f.count(fact.licensed)} licensed seats are active (${f.percent(fact.pct)}) as of ${f.date(fact.on)}`;
      case 'active_users':
        return `${f.count(fact.active)} active users as of ${f.date(fact.on)}`;
      case 'users_change':
        return fact.pct === 0
          ? `Active users held steady since ${f.date(fact.since)}`
          : `Active users ${fact.pct > 0 ? 'up' : 'down'} ${f.percent(Math.abs(fact.pct))} since ${f.date(fact.since)}${
              fact.from === null ? '' : ` (${f.count(fact.from)} → ${f.count(fact.to)})`
            }`;
      case 'core_adoption':
        return `Core-feature adoption at ${f.percent(fact.pct)}`;
      case 'support':
        return `${f.count(fact.tickets)} support ticket${fact.tickets === 1 ? '' : 's'} in the last 12 months${
          fact.csatTenths === null ? '' : `, average CSAT ${f.tenths(fact.csatTenths)} / 5`
        }`;
      case 'nps':
        return `Latest NPS response: ${fact.score} / 10 (${f.date(fact.on)})`;
      case 'time_saved':
        return fact.valueMinor === null
          ? `About ${f.tenths(fact.hoursPerWeekTenths)} h/week saved (${f.count(fact.hoursPerYear)} hours a year)`
          : `About ${f.tenths(fact.hoursPerWeekTenths)} h/week saved ≈ ${f.money(fact.valueMinor, { whole: true })}/year`;
    }
  },
  chart: {
    caption: (from, to) => `Active users, ${from} to ${to}`,
    peak: (value) => `peak ${value}`,
  },
  roiHeading: 'How we estimate the return',
  roiMethod: (r) =>
    `${r.users} active users × ${r.minutes} minutes saved per user per week = ${r.hoursPerWeek} h/week; × ${r.weeks} working weeks = ${r.hoursPerYear} hours a year${
      r.hourlyCost && r.valuePerYear
        ? ` × ${r.hourlyCost} loaded cost per hour ≈ ${r.valuePerYear} a year.`
        : '.'
    } The assumptions are conservative defaults; we are happy to replace them with your own figures.`,
  contract: {
    caption: 'Current contract',
    contract: 'Contract',
    term: 'Term',
    termRange: (from, to) => `${from} to ${to}`,
    annualValue: 'Annual value',
    seats: 'Seats',
    notSeatBased: 'not seat-based',
    renewal: 'Renewal',
    autoRenews: 'renews automatically unless cancelled',
    renewsOnSignature: 'renews on signature',
  },
  options: {
    caption: 'Proposed options with per-year amounts and total contract value',
    option: 'Option',
    year: (year) => `Year ${year}`,
    total: 'Total (TCV)',
    vsList: 'vs list',
    atList: 'list',
    recommended: (name) => `Recommended - ${name}`,
    note: (currency) =>
      `Amounts in ${currency}, excluding taxes. "vs list" compares the total with list price for the same term and scope (list rises about 5% a year). Each year's amount is rounded once; totals are the sum of the years. Multi-year terms are one committed purchase with prices locked as shown.`,
    included: 'Included with the recommended option',
    worth: (amount) => `worth ${amount}`,
    specialTerms: 'Special terms',
  },
  discount: (bps, f) =>
    bps === 0 ? 'list price' : bps > 0 ? `${f.bps(bps)} below list` : `${f.bps(-bps)} above list`,
  optionName,
  shortName,
  scopeLine,
  incentives: {},
  expansion: {
    caption: 'Optional expansion items with their business case',
    item: 'Item',
    businessCase: 'Business case',
    price: 'Price, year 1',
    case: (businessCase, f) => {
      switch (businessCase.kind) {
        case 'adoption':
          return `${f.percent(businessCase.seatAdoptionPct)} of licensed seats are in use${
            businessCase.growthPct === null
              ? ''
              : ` and active users grew ${f.percent(businessCase.growthPct)} in the last quarter`
          }: room for new teams without a mid-term order.`;
        case 'headroom':
          return 'Headroom for new teams and use cases without a mid-term order.';
        case 'extends_value':
          return 'Extends the value already measured above to more of the team.';
      }
    },
  },
  timeline: {
    heading: 'Timeline',
    by: 'By',
    step: 'Step',
    steps: {
      'T-60': 'Value review meeting and preliminary terms',
      'T-45': 'Proposal delivered and approved internally',
      'T-30': 'Presentation, questions and negotiation; agree the signature date',
      'T-14': 'Final terms; agreement sent for e-signature',
      'T-7': 'Signature collected',
      'T-0': 'Current term ends; new term starts the next day',
      sign: 'Sign the renewal agreement (the prices above are held until this date)',
      new_term: 'New term starts, with no gap in service',
    },
  },
  approvals: {
    heading: 'Internal approvals',
    roles: {
      manager: 'Manager (whole proposal)',
      finance: 'Finance (pricing)',
      sales_leadership: 'Sales leadership (pricing)',
      executive: 'Executive',
      legal: 'Legal (custom terms)',
    },
    status: (status, decidedOn) =>
      status === 'approved' ? `approved${decidedOn ? ` on ${decidedOn}` : ''}` : status,
  },
  contacts: {
    heading: 'Contacts',
    yourContact: 'Your contact',
    roles: {
      economic_buyer: 'Economic buyer',
      decision_maker: 'Decision maker',
      executive_sponsor: 'Executive sponsor',
      champion: 'Champion',
      procurement: 'Procurement',
      legal: 'Legal',
      technical: 'Technical lead',
      user: 'User',
    },
  },
  accept: {
    heading: 'How to accept',
    text: (owner, validUntil) =>
      `Tell ${owner ?? 'your account team'} which option you choose. We then send the renewal agreement for electronic signature; signing it is all that is needed. This proposal is valid until ${validUntil}.`,
  },
  footer: (account, proposalId, version, date) =>
    `${account} · Renewal proposal ${proposalId} v${version} · ${date}`,
  page: (page, pages) => `Page ${page} of ${pages}`,
  missingGlyphs: (codePoints, placeholder) =>
    `Note: the PDF font cannot draw some characters of this document; they are shown as ${placeholder} (${codePoints}). The HTML version shows them.`,
};
