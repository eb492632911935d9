/** Das Verlängerungsangebot auf Deutsch (Sie-Form). */
import type { OptionName, ScopeLine } from './proposal-content.ts';
import type { Formats, ProposalWords } from './proposal-templates.ts';

const TIERS = { good: 'Basis', better: 'Plus', best: 'Premium' } as const;
const TIER_TEXT = {
  good: 'Verlängerung zu gleichen Konditionen',
  better: 'Verlängerung + moderate Erweiterung',
  best: 'Verlängerung + volle Erweiterung',
} as const;

function term(years: number): string {
  return years === 1 ? '1 Jahr' : `${years} Jahre`;
}

function scopeLine(line: ScopeLine, f: Formats): string {
  switch (line.kind) {
    case 'subscription':
      return line.seats === null ? 'Abonnement' : `Abonnement (${f.count(line.seats)} Lizenzen)`;
    case 'extra_seats':
      return `Zusätzliche Lizenzen (+${f.count(line.seats)})`;
    case 'extra_scope':
      return `Erweiterter Umfang (+${f.bps(line.bps)})`;
    case 'add_on':
      return line.seats === null ? line.label : `${line.label} (${f.count(line.seats)} Lizenzen)`;
    case 'other':
      return line.label;
  }
}

function extraText(line: ScopeLine, f: Formats): string {
  if (line.kind === 'extra_seats') return `+${f.count(line.seats)} Lizenzen`;
  if (line.kind === 'extra_scope') return `+${f.bps(line.bps)} Umfang`;
  return line.kind === 'add_on' || line.kind === 'other' ? line.label : '';
}

function optionName(name: OptionName, f: Formats): string {
  switch (name.kind) {
    case 'package': {
      const extras = name.extras.map((line) => extraText(line, f)).filter(Boolean);
      const schedule =
        name.termYears > 1 && name.tier === 'best'
          ? name.schedule === 'fixed'
            ? ', Festpreis'
            : ', mit Staffelung'
          : '';
      return `${TIERS[name.tier]}: ${TIER_TEXT[name.tier]}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}${
        name.tier === 'good' ? ', 1 Jahr, bisheriger Umfang' : `, ${term(name.termYears)}${schedule}`
      }${name.earlyBps > 0 ? `, ${f.bps(name.earlyBps)} Frühverlängerungsrabatt` : ''}`;
    }
    case 'uplift':
      return `Verlängerung um 1 Jahr, +${f.bps(name.upliftBps)} Preisanpassung`;
    case 'volume':
      return `Verlängerung um 1 Jahr, ${f.count(name.seats)} Lizenzen (${name.change > 0 ? '+' : ''}${f.count(name.change)})`;
    case 'early':
      return `Frühzeitige Verlängerung, 1 Jahr, ${f.bps(name.earlyBps)} Rabatt`;
    case 'multi_year': {
      const schedule =
        name.schedule === 'fixed'
          ? 'Festpreis'
          : `mit Staffelung (${name.stepsBps.map((bps, index) => `+${f.bps(bps)} im ${index + 2}. Jahr`).join(', ')})`;
      return `${name.termYears} Jahre, ${schedule}${name.earlyBps > 0 ? `, ${f.bps(name.earlyBps)} Frühverlängerungsrabatt` : ''}`;
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
      return 'Preisanpassung';
    case 'volume':
      return 'Lizenzänderung';
    case 'early':
      return 'Frühverlängerung';
    case 'multi_year':
      return `${name.termYears} Jahre`;
    case 'other':
      return (name.label.split(/[:,]/)[0] ?? name.label).trim();
  }
}

export const GERMAN_PROPOSAL: ProposalWords = {
  kicker: 'Verlängerungsangebot',
  metaTitle: (account) => `Verlängerungsangebot - ${account}`,
  metaSubject: (contractId, proposalId, version) =>
    `Verlängerung des Vertrags ${contractId}, Angebot ${proposalId} Version ${version}`,
  subtitle: ({ prepared, forName, forRole, by, proposalId, version, contractId }) =>
    `Erstellt am ${prepared}${forName ? ` für ${forName}${forRole ? ` (${forRole})` : ''}` : ''}${
      by ? ` von ${by}` : ''
    } · Angebot ${proposalId}, Version ${version} · Vertrag ${contractId}`,
  draftBanner: (reason) =>
    `ENTWURF - ${reason === 'rejected' ? 'intern abgelehnt' : 'interne Freigabe ausstehend'}. Erst nach Freigabe und Versand ein Angebot.`,
  sections: {
    summary: 'Zusammenfassung',
    value: 'Erzielter Nutzen',
    contract: 'Aktueller Vertrag',
    options: 'Angebotene Optionen',
    expansion: 'Optionale Erweiterungen',
    nextSteps: 'Nächste Schritte',
  },
  summary: (s) =>
    `Ihr Abonnement${s.seats === null ? '' : ` mit ${s.seats} Lizenzen`} (${s.arr} pro Jahr) läuft bis zum ${s.endDate}. ${
      s.headline ? `${s.headline}. ` : ''
    }${
      s.hoursPerYear && s.valuePerYear
        ? `Nach unserer Schätzung spart Ihr Team rund ${s.hoursPerYear} Stunden im Jahr, im Wert von etwa ${s.valuePerYear}. `
        : ''
    }Unsere Empfehlung - ${s.option}: ${s.termYears === 1 ? s.perYear[0] : s.perYear.join(', danach ')}${
      s.termYears === 1 ? ' für ein Jahr' : ` über ${term(s.termYears)}`
    } - insgesamt ${s.total}, ${s.discount}.`,
  tiles: {
    recommended: 'Empfehlung',
    yearOne: 'Investition 1. Jahr',
    valuePerYear: 'Nutzen pro Jahr',
    hoursSaved: (hours) => `${hours} Stunden gespart`,
    noUsageData: 'keine Nutzungsdaten',
    notAvailable: 'k. A.',
    returnOnYearOne: 'Rendite 1. Jahr',
    returnNote: 'Nutzen / Investition',
    multiple: (value) => `${value}×`,
  },
  term,
  fact: (fact, f) => {
    switch (fact.kind) {
      case 'seats_active':
        return `${f.count(fact.active)} von ${f.count(fact.licensed)} Lizenzen sind aktiv (${f.percent(fact.pct)}), Stand ${f.date(fact.on)}`;
      case 'active_users':
        return `${f.count(fact.active)} aktive Nutzer, Stand ${f.date(fact.on)}`;
      case 'users_change':
        return fact.pct === 0
          ? `Aktive Nutzer seit ${f.date(fact.since)} unverändert`
          : `Aktive Nutzer seit ${f.date(fact.since)} um ${f.percent(Math.abs(fact.pct))} ${fact.pct > 0 ? 'gestiegen' : 'gesunken'}${
              fact.from === null ? '' : ` (${f.count(fact.from)} → ${f.count(fact.to)})`
            }`;
      case 'core_adoption':
        return `Nutzung der Kernfunktionen bei ${f.percent(fact.pct)}`;
      case 'support':
        return `${f.count(fact.tickets)} Support-${fact.tickets === 1 ? 'Ticket' : 'Tickets'} in den letzten 12 Monaten${
          fact.csatTenths === null
            ? ''
            : `, durchschnittliche Zufriedenheit (CSAT) ${f.tenths(fact.csatTenths)} / 5`
        }`;
      case 'nps':
        return `Letzte NPS-Bewertung: ${fact.score} / 10 (${f.date(fact.on)})`;
      case 'time_saved':
        return fact.valueMinor === null
          ? `Rund ${f.tenths(fact.hoursPerWeekTenths)} Std./Woche gespart (${f.count(fact.hoursPerYear)} Stunden im Jahr)`
          : `Rund ${f.tenths(fact.hoursPerWeekTenths)} Std./Woche gespart ≈ ${f.money(fact.valueMinor, { whole: true })}/Jahr`;
    }
  },
  chart: {
    caption: (from, to) => `Aktive Nutzer, ${from} bis ${to}`,
    peak: (value) => `Höchstwert ${value}`,
  },
  roiHeading: 'So schätzen wir den Nutzen',
  roiMethod: (r) =>
    `${r.users} aktive Nutzer × ${r.minutes} Minuten Ersparnis pro Nutzer und Woche = ${r.hoursPerWeek} Std./Woche; × ${r.weeks} Arbeitswochen = ${r.hoursPerYear} Stunden im Jahr${
      r.hourlyCost && r.valuePerYear
        ? ` × ${r.hourlyCost} Stundensatz (Vollkosten) ≈ ${r.valuePerYear} im Jahr.`
        : '.'
    } Die Annahmen sind vorsichtige Standardwerte; gern ersetzen wir sie durch Ihre eigenen Zahlen.`,
  contract: {
    caption: 'Aktueller Vertrag',
    contract: 'Vertrag',
    term: 'Laufzeit',
    termRange: (from, to) => `${from} bis ${to}`,
    annualValue: 'Jahreswert',
    seats: 'Lizenzen',
    notSeatBased: 'nicht lizenzbasiert',
    renewal: 'Verlängerung',
    autoRenews: 'verlängert sich automatisch, sofern nicht gekündigt',
    renewsOnSignature: 'verlängert sich mit Unterschrift',
  },
  options: {
    caption: 'Angebotene Optionen mit Jahresbeträgen und Gesamtvertragswert',
    option: 'Option',
    year: (year) => `${year}. Jahr`,
    total: 'Gesamt (TCV)',
    vsList: 'ggü. Liste',
    atList: 'Liste',
    recommended: (name) => `Empfehlung - ${name}`,
    note: (currency) =>
      `Beträge in ${currency}, zzgl. Steuern. „ggü. Liste“ vergleicht die Summe mit dem Listenpreis für dieselbe Laufzeit und denselben Umfang (der Listenpreis steigt um etwa 5 % pro Jahr). Jeder Jahresbetrag wird einmal gerundet; die Summe ist die Summe der Jahre. Mehrjährige Laufzeiten sind ein fester Auftrag zu den gezeigten, festgeschriebenen Preisen.`,
    included: 'In der empfohlenen Option enthalten',
    worth: (amount) => `im Wert von ${amount}`,
    specialTerms: 'Sondervereinbarungen',
  },
  discount: (bps, f) =>
    bps === 0 ? 'zum Listenpreis' : bps > 0 ? `${f.bps(bps)} unter Liste` : `${f.bps(-bps)} über Liste`,
  optionName,
  shortName,
  scopeLine,
  incentives: {
    'Quarterly payment at no surcharge': 'Quartalsweise Zahlung ohne Aufschlag',
    'Support tier upgrade for the term': 'Höhere Support-Stufe für die Laufzeit',
    'Two live training sessions for new users': 'Zwei Live-Schulungen für neue Nutzer',
    'Services credit': 'Gutschrift für Dienstleistungen',
  },
  expansion: {
    caption: 'Optionale Erweiterungen mit Begründung',
    item: 'Position',
    businessCase: 'Begründung',
    price: 'Preis, 1. Jahr',
    case: (businessCase, f) => {
      switch (businessCase.kind) {
        case 'adoption':
          return `${f.percent(businessCase.seatAdoptionPct)} der Lizenzen sind in Gebrauch${
            businessCase.growthPct === null
              ? ''
              : ` und die aktiven Nutzer sind im letzten Quartal um ${f.percent(businessCase.growthPct)} gewachsen`
          }: Raum für neue Teams ohne Nachbestellung während der Laufzeit.`;
        case 'headroom':
          return 'Reserve für neue Teams und Anwendungsfälle ohne Nachbestellung während der Laufzeit.';
        case 'extends_value':
          return 'Überträgt den oben gemessenen Nutzen auf einen größeren Teil des Teams.';
      }
    },
  },
  timeline: {
    heading: 'Zeitplan',
    by: 'Bis',
    step: 'Schritt',
    steps: {
      'T-60': 'Nutzengespräch und vorläufige Konditionen',
      'T-45': 'Angebot übergeben und intern freigegeben',
      'T-30': 'Präsentation, Fragen und Verhandlung; Unterschriftstermin vereinbaren',
      'T-14': 'Endgültige Konditionen; Vertrag zur elektronischen Unterschrift versandt',
      'T-7': 'Unterschrift liegt vor',
      'T-0': 'Aktuelle Laufzeit endet; die neue beginnt am Folgetag',
      sign: 'Verlängerungsvertrag unterschreiben (die obigen Preise gelten bis zu diesem Datum)',
      new_term: 'Neue Laufzeit beginnt, ohne Unterbrechung',
    },
  },
  approvals: {
    heading: 'Interne Freigaben',
    roles: {
      manager: 'Teamleitung (gesamtes Angebot)',
      finance: 'Finanzen (Preise)',
      sales_leadership: 'Vertriebsleitung (Preise)',
      executive: 'Geschäftsführung',
      legal: 'Recht (Sondervereinbarungen)',
    },
    status: (status, decidedOn) =>
      status === 'approved'
        ? `freigegeben${decidedOn ? ` am ${decidedOn}` : ''}`
        : status === 'rejected'
          ? 'abgelehnt'
          : 'ausstehend',
  },
  contacts: {
    heading: 'Ansprechpartner',
    yourContact: 'Ihr Ansprechpartner',
    roles: {
      economic_buyer: 'Budgetverantwortung',
      decision_maker: 'Entscheidung',
      executive_sponsor: 'Sponsor (Geschäftsleitung)',
      champion: 'Fürsprecher',
      procurement: 'Einkauf',
      legal: 'Recht',
      technical: 'Technische Leitung',
      user: 'Anwender',
    },
  },
  accept: {
    heading: 'So nehmen Sie an',
    text: (owner, validUntil) =>
      `Teilen Sie ${owner ?? 'Ihrem Account-Team'} mit, welche Option Sie wählen. Wir senden Ihnen dann den Verlängerungsvertrag zur elektronischen Unterschrift; mehr ist nicht nötig. Dieses Angebot gilt bis zum ${validUntil}.`,
  },
  footer: (account, proposalId, version, date) =>
    `${account} · Verlängerungsangebot ${proposalId} v${version} · ${date}`,
  page: (page, pages) => `Seite ${page} von ${pages}`,
  missingGlyphs: (codePoints, placeholder) =>
    `Hinweis: Die PDF-Schrift kann einige Zeichen dieses Dokuments nicht darstellen; sie erscheinen als ${placeholder} (${codePoints}). Die HTML-Fassung zeigt sie.`,
};
