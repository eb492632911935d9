/**
 * Puts a proposal's content into words in one language: the template's wording, the locale's
 * dates, numbers and money, laid out as the sections both renderers draw (executive summary, value
 * delivered, current contract, proposed options, optional expansion, next steps).
 */
import type { Language } from '../mail/choose-language.ts';
import type { Block, ComposedDocument, DocumentSection } from './document-blocks.ts';
import type { OptionContent, ProposalContent } from './proposal-content.ts';
import { type Formats, formatsFor, PROPOSAL_TEMPLATES, type ProposalWords } from './proposal-templates.ts';

export type ComposeProposalOptions = {
  content: ProposalContent;
  language: Language;
  /** BCP 47 tag for dates and numbers (`de-CH`); see `formattingLocale`. */
  locale: string;
};

function vsList(option: OptionContent, words: ProposalWords, f: Formats): string {
  if (option.discountBps === 0) return words.options.atList;
  return option.discountBps > 0 ? `-${f.bps(option.discountBps)}` : `+${f.bps(-option.discountBps)}`;
}

function summarySection(content: ProposalContent, words: ProposalWords, f: Formats): Block[] {
  const { recommended, roi } = content;
  const valuePerYear =
    roi?.valuePerYearMinor != null ? f.money(roi.valuePerYearMinor, { whole: true }) : null;
  return [
    {
      kind: 'paragraph',
      text: words.summary({
        seats: content.contract.seats,
        arr: f.money(content.contract.arrMinor),
        endDate: f.date(content.contract.endDate),
        headline: content.headline ? words.fact(content.headline, f) : null,
        hoursPerYear: roi ? f.count(roi.hoursPerYear) : null,
        valuePerYear,
        option: words.optionName(recommended.name, f),
        perYear: recommended.years.map((amount) => f.money(amount)),
        termYears: recommended.termYears,
        total: f.money(recommended.totalMinor),
        discount: words.discount(recommended.discountBps, f),
      }),
    },
    {
      kind: 'tiles',
      tiles: [
        {
          label: words.tiles.recommended,
          value: words.shortName(recommended.name),
          note: words.term(recommended.termYears),
        },
        {
          label: words.tiles.yearOne,
          value: f.money(recommended.years[0] ?? 0),
          note: words.discount(recommended.discountBps, f),
        },
        {
          label: words.tiles.valuePerYear,
          value: valuePerYear ?? words.tiles.notAvailable,
          note: roi ? words.tiles.hoursSaved(f.count(roi.hoursPerYear)) : words.tiles.noUsageData,
        },
        {
          label: words.tiles.returnOnYearOne,
          value:
            content.roiMultipleTenths === null
              ? words.tiles.notAvailable
              : words.tiles.multiple(f.tenths(content.roiMultipleTenths)),
          note: words.tiles.returnNote,
        },
      ],
    },
  ];
}

function valueSection(content: ProposalContent, words: ProposalWords, f: Formats): Block[] {
  const blocks: Block[] = [{ kind: 'bullets', items: content.facts.map((fact) => words.fact(fact, f)) }];
  const trend = content.usageTrend;
  if (trend.length > 1) {
    blocks.push({
      kind: 'chart',
      points: trend.map((point) => ({ label: f.date(point.date), value: point.activeUsers })),
      caption: words.chart.caption(f.date(trend[0]!.date), f.date(trend.at(-1)!.date)),
      peak: words.chart.peak(f.count(Math.max(...trend.map((point) => point.activeUsers)))),
    });
  }
  const roi = content.roi;
  if (roi) {
    blocks.push(
      { kind: 'subheading', text: words.roiHeading },
      {
        kind: 'paragraph',
        tone: 'muted',
        text: words.roiMethod({
          users: f.count(roi.activeUsers),
          minutes: f.count(roi.minutesPerUserPerWeek),
          hoursPerWeek: f.tenths(roi.hoursPerWeekTenths),
          weeks: f.count(roi.workingWeeks),
          hoursPerYear: f.count(roi.hoursPerYear),
          hourlyCost: roi.hourlyCostMinor === null ? null : f.money(roi.hourlyCostMinor),
          valuePerYear:
            roi.valuePerYearMinor === null ? null : f.money(roi.valuePerYearMinor, { whole: true }),
        }),
      },
    );
  }
  return blocks;
}

function contractSection(content: ProposalContent, words: ProposalWords, f: Formats): Block[] {
  const { contract } = content;
  const w = words.contract;
  return [
    {
      kind: 'keyValues',
      caption: w.caption,
      rows: [
        [w.contract, contract.contractId],
        [w.term, w.termRange(f.date(contract.startDate), f.date(contract.endDate))],
        [w.annualValue, `${f.money(contract.arrMinor)} (${content.currency})`],
        [w.seats, contract.seats === null ? w.notSeatBased : f.count(contract.seats)],
        [w.renewal, contract.autoRenew ? w.autoRenews : w.renewsOnSignature],
      ],
    },
  ];
}

function optionsSection(content: ProposalContent, words: ProposalWords, f: Formats): Block[] {
  const w = words.options;
  const maxYears = Math.max(...content.options.map((option) => option.termYears));
  const optionWidth = 1 - 0.13 * maxYears - 0.15 - 0.13;
  const blocks: Block[] = [
    {
      kind: 'table',
      caption: w.caption,
      columns: [
        { title: w.option, width: optionWidth },
        ...Array.from({ length: maxYears }, (_, index) => ({
          title: w.year(index + 1),
          width: 0.13,
          align: 'right' as const,
        })),
        { title: w.total, width: 0.15, align: 'right' },
        { title: w.vsList, width: 0.13, align: 'right' },
      ],
      rows: content.options.map((option) => {
        const name = words.optionName(option.name, f);
        return {
          highlight: option.recommended,
          bold: option.recommended,
          cells: [
            `${option.recommended ? w.recommended(name) : name}\n${option.scope
              .map((line) => words.scopeLine(line, f))
              .join(' + ')}`,
            ...Array.from({ length: maxYears }, (_, index) => {
              const amount = option.years[index];
              return amount === undefined ? '-' : f.money(amount);
            }),
            f.money(option.totalMinor),
            vsList(option, words, f),
          ],
        };
      }),
    },
    { kind: 'paragraph', tone: 'small', text: w.note(content.currency) },
  ];
  if (content.incentives.length > 0) {
    blocks.push(
      { kind: 'subheading', text: w.included },
      {
        kind: 'bullets',
        items: content.incentives.map((incentive) => {
          const label = words.incentives[incentive.label] ?? incentive.label;
          return incentive.valueMinor === null
            ? label
            : `${label} (${w.worth(f.money(incentive.valueMinor))})`;
        }),
      },
    );
  }
  if (content.customTerms) {
    blocks.push(
      { kind: 'subheading', text: w.specialTerms },
      { kind: 'paragraph', text: content.customTerms },
    );
  }
  return blocks;
}

function expansionSection(content: ProposalContent, words: ProposalWords, f: Formats): Block[] {
  const w = words.expansion;
  return [
    {
      kind: 'table',
      caption: w.caption,
      columns: [
        { title: w.item, width: 0.3 },
        { title: w.businessCase, width: 0.5 },
        { title: w.price, width: 0.2, align: 'right' },
      ],
      rows: content.expansion.map((item) => ({
        cells: [
          `${words.shortName(item.option)}: ${words.scopeLine(item.line, f)}`,
          w.case(item.case, f),
          f.money(item.perYearMinor),
        ],
      })),
    },
  ];
}

function nextStepsSection(content: ProposalContent, words: ProposalWords, f: Formats): Block[] {
  const blocks: Block[] = [
    { kind: 'subheading', text: words.timeline.heading },
    {
      kind: 'table',
      caption: words.timeline.heading,
      columns: [
        { title: words.timeline.by, width: 0.24 },
        { title: words.timeline.step, width: 0.76 },
      ],
      rows: content.timeline.map((entry) => ({
        cells: [f.date(entry.date), words.timeline.steps[entry.step]],
      })),
    },
    { kind: 'subheading', text: words.approvals.heading },
    {
      kind: 'bullets',
      items: content.approvals.map(
        (step) =>
          `${words.approvals.roles[step.role] ?? step.role}: ${words.approvals.status(
            step.status,
            step.decidedOn === null ? null : f.date(step.decidedOn),
          )}`,
      ),
    },
  ];
  if (content.contacts.length > 0 || content.owner) {
    blocks.push(
      { kind: 'subheading', text: words.contacts.heading },
      {
        kind: 'keyValues',
        caption: words.contacts.heading,
        rows: [
          ...(content.owner
            ? [
                [words.contacts.yourContact, `${content.owner.name}, ${content.owner.email}`] as [
                  string,
                  string,
                ],
              ]
            : []),
          ...content.contacts.map(
            (contact) =>
              [
                words.contacts.roles[contact.role] ?? contact.role,
                `${contact.name}${contact.email ? `, ${contact.email}` : ''}`,
              ] as [string, string],
          ),
        ],
      },
    );
  }
  blocks.push(
    { kind: 'subheading', text: words.accept.heading },
    { kind: 'paragraph', text: words.accept.text(content.owner?.name ?? null, f.date(content.validUntil)) },
  );
  return blocks;
}

export function composeProposal({ content, language, locale }: ComposeProposalOptions): ComposedDocument {
  const words = PROPOSAL_TEMPLATES[language];
  const f = formatsFor(locale, content.currency);
  const parts: [string, string, Block[]][] = [
    ['summary', words.sections.summary, summarySection(content, words, f)],
    ['value', words.sections.value, valueSection(content, words, f)],
    ['contract', words.sections.contract, contractSection(content, words, f)],
    ['options', words.sections.options, optionsSection(content, words, f)],
  ];
  if (content.expansion.length > 0) {
    parts.push(['expansion', words.sections.expansion, expansionSection(content, words, f)]);
  }
  parts.push(['next-steps', words.sections.nextSteps, nextStepsSection(content, words, f)]);
  const sections: DocumentSection[] = parts.map(([id, title, blocks], index) => ({
    id,
    number: index + 1,
    title,
    blocks,
  }));
  const buyer = content.preparedFor;
  return {
    language,
    locale,
    meta: {
      title: words.metaTitle(content.account.name),
      subject: words.metaSubject(content.contract.contractId, content.proposalId, content.version),
      author: content.owner?.name ?? 'Perennial',
      createdAt: content.createdAt,
    },
    kicker: words.kicker,
    title: content.account.name,
    subtitle: words.subtitle({
      prepared: f.date(content.preparedOn),
      forName: buyer?.name ?? null,
      forRole: buyer ? (words.contacts.roles[buyer.role] ?? buyer.role) : null,
      by: content.owner?.name ?? null,
      proposalId: content.proposalId,
      version: content.version,
      contractId: content.contract.contractId,
    }),
    banner: content.draft === null ? null : words.draftBanner(content.draft),
    sections,
    footer: words.footer(
      content.account.name,
      content.proposalId,
      content.version,
      f.date(content.preparedOn),
    ),
    pageLabel: words.page,
    missingGlyphNote: words.missingGlyphs,
  };
}
