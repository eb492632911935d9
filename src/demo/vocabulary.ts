/**
 * Word lists and reference tables of the demo portfolio: the fictional vendor's customers, their
 * countries, people, comments and the competitors they leave for. Plain data, no logic.
 */
import type { Weighted } from './random.ts';

/** First half of a company name ("North" + "wind"); with NAME_ROOTS_B and NAME_WORDS gives 102,400 names. */
// biome-ignore format: word list
export const NAME_ROOTS_A = [
  'North', 'Blue', 'Silver', 'Bright', 'Iron', 'Cedar', 'Maple', 'Oak', 'Pine', 'Stone',
  'River', 'Lake', 'Summit', 'Harbor', 'Golden', 'Red', 'Green', 'Clear', 'Swift', 'True',
  'Star', 'Sun', 'Moon', 'Cloud', 'Falcon', 'Eagle', 'Hawk', 'Fox', 'Wolf', 'Bear',
  'Lion', 'Nova', 'Terra', 'Aqua', 'Vista', 'Prime', 'Apex', 'Pioneer', 'Atlas', 'Beacon',
  'Copper', 'Crystal', 'Delta', 'Echo', 'Ember', 'Frost', 'Granite', 'Hill', 'Ivory', 'Jade',
  'Keystone', 'Linden', 'Meadow', 'Noble', 'Orchard', 'Pacific', 'Quarry', 'Raven', 'Sage', 'Timber',
  'Union', 'Valley', 'Willow', 'Zenith', 'Amber', 'Birch', 'Coral', 'Dune', 'Elm', 'Fern',
  'Glen', 'Heron', 'Indigo', 'Juniper', 'Kestrel', 'Lark', 'Marble', 'Onyx', 'Pebble', 'Quill',
] as const;

// biome-ignore format: word list
export const NAME_ROOTS_B = [
  'wind', 'field', 'bridge', 'gate', 'line', 'point', 'ridge', 'brook',
  'wood', 'vale', 'haven', 'port', 'light', 'way', 'mark', 'view',
  'side', 'path', 'land', 'shore', 'bay', 'peak', 'wave', 'forge',
  'craft', 'spring', 'dale', 'ford', 'grove', 'hurst', 'mont', 'ton',
  'wick', 'well', 'water', 'worth', 'bury', 'cliff', 'mere', 'moor',
  'stead', 'hold', 'reach', 'run', 'fall', 'crest', 'rock', 'stream',
  'spire', 'beam', 'loft', 'yard', 'fold', 'dock', 'works', 'gard',
  'scape', 'haus', 'helm', 'keep', 'lane', 'leaf', 'glow', 'tide',
] as const;

// biome-ignore format: word list
export const NAME_WORDS = [
  'Group', 'Holdings', 'Partners', 'Systems', 'Industries', 'Labs', 'Collective', 'Company', 'Networks',
  'Solutions', 'Enterprises', 'Ventures', 'Brands', 'Services', 'Technologies', 'International',
  'Associates', 'Global', 'Trading', 'Outfitters',
] as const;

export const INDUSTRIES: Weighted<string> = [
  ['software', 16],
  ['retail', 12],
  ['healthcare', 11],
  ['finance', 11],
  ['manufacturing', 11],
  ['education', 9],
  ['logistics', 8],
  ['media', 7],
  ['tax', 5],
  ['hospitality', 5],
  ['professional_services', 5],
];

export type Locale = 'en' | 'de' | 'fr' | 'nl' | 'es' | 'ja';

export type Country = {
  code: string;
  currency: 'USD' | 'EUR' | 'GBP' | 'JPY';
  timezones: Weighted<string>;
  locale: Locale;
  legalForms: readonly string[];
  tld: string;
  /** Fiscal year start months most companies there use, with weights. */
  fiscalYears: Weighted<number>;
  region: 'NA' | 'EMEA' | 'APAC';
};

export const COUNTRIES: Weighted<Country> = [
  [
    {
      code: 'US',
      currency: 'USD',
      timezones: [
        ['America/New_York', 45],
        ['America/Chicago', 25],
        ['America/Denver', 8],
        ['America/Los_Angeles', 22],
      ],
      locale: 'en',
      legalForms: ['Inc.', 'Inc.', 'LLC', 'Corp.'],
      tld: 'com',
      fiscalYears: [
        [1, 62],
        [7, 14],
        [10, 14],
        [4, 6],
        [2, 4],
      ],
      region: 'NA',
    },
    46,
  ],
  [
    {
      code: 'GB',
      currency: 'GBP',
      timezones: [['Europe/London', 1]],
      locale: 'en',
      legalForms: ['Ltd', 'Ltd', 'plc'],
      tld: 'co.uk',
      fiscalYears: [
        [4, 50],
        [1, 45],
        [7, 5],
      ],
      region: 'EMEA',
    },
    12,
  ],
  [
    {
      code: 'DE',
      currency: 'EUR',
      timezones: [['Europe/Berlin', 1]],
      locale: 'de',
      legalForms: ['GmbH', 'GmbH', 'AG', 'SE'],
      tld: 'de',
      fiscalYears: [
        [1, 80],
        [10, 10],
        [7, 10],
      ],
      region: 'EMEA',
    },
    11,
  ],
  [
    {
      code: 'FR',
      currency: 'EUR',
      timezones: [['Europe/Paris', 1]],
      locale: 'fr',
      legalForms: ['SAS', 'SA', 'SARL'],
      tld: 'fr',
      fiscalYears: [
        [1, 85],
        [7, 10],
        [10, 5],
      ],
      region: 'EMEA',
    },
    7,
  ],
  [
    {
      code: 'NL',
      currency: 'EUR',
      timezones: [['Europe/Amsterdam', 1]],
      locale: 'nl',
      legalForms: ['B.V.', 'B.V.', 'N.V.'],
      tld: 'nl',
      fiscalYears: [
        [1, 85],
        [4, 5],
        [7, 10],
      ],
      region: 'EMEA',
    },
    5,
  ],
  [
    {
      code: 'ES',
      currency: 'EUR',
      timezones: [['Europe/Madrid', 1]],
      locale: 'es',
      legalForms: ['S.L.', 'S.A.'],
      tld: 'es',
      fiscalYears: [
        [1, 90],
        [7, 10],
      ],
      region: 'EMEA',
    },
    3,
  ],
  [
    {
      code: 'IE',
      currency: 'EUR',
      timezones: [['Europe/Dublin', 1]],
      locale: 'en',
      legalForms: ['Ltd', 'DAC'],
      tld: 'ie',
      fiscalYears: [
        [1, 70],
        [4, 20],
        [7, 10],
      ],
      region: 'EMEA',
    },
    3,
  ],
  [
    {
      code: 'JP',
      currency: 'JPY',
      timezones: [['Asia/Tokyo', 1]],
      locale: 'ja',
      legalForms: ['K.K.', 'Co., Ltd.', 'Inc.'],
      tld: 'co.jp',
      fiscalYears: [
        [4, 82],
        [1, 12],
        [10, 6],
      ],
      region: 'APAC',
    },
    13,
  ],
];

/** Units of the currency per US dollar, for sizing prices and measuring segments (≈ 2025 rates). */
export const UNITS_PER_USD: Record<Country['currency'], number> = { USD: 1, EUR: 0.93, GBP: 0.79, JPY: 150 };

export const PLANS = ['starter', 'professional', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** List price per seat per year, in whole currency units. */
export const LIST_PRICE_PER_SEAT: Record<Country['currency'], Record<Plan, number>> = {
  USD: { starter: 360, professional: 600, business: 780, enterprise: 960 },
  EUR: { starter: 336, professional: 552, business: 720, enterprise: 888 },
  GBP: { starter: 288, professional: 480, business: 624, enterprise: 768 },
  JPY: { starter: 54_000, professional: 90_000, business: 117_000, enterprise: 144_000 },
};

type NameList = { first: readonly string[]; last: readonly string[] };

// biome-ignore format: word list
export const PERSON_NAMES: Record<Locale, NameList> = {
  en: {
    first: [
      'James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David', 'Linda', 'William', 'Elizabeth',
      'Daniel', 'Sarah', 'Matthew', 'Jessica', 'Anthony', 'Karen', 'Mark', 'Emily', 'Steven', 'Michelle',
      'Priya', 'Wei', 'Carlos', 'Aisha', 'Kevin', 'Rachel', 'Brian', 'Laura', 'Zoë', 'Siobhan',
    ],
    last: [
      'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Anderson',
      'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark',
      "O'Brien", 'Patel', 'Nguyen', 'Kim', 'Murphy', 'Walsh', 'Campbell', 'Hughes', 'Reyes', 'Okafor',
    ],
  },
  de: {
    first: [
      'Lukas', 'Anna', 'Felix', 'Lena', 'Jonas', 'Sophie', 'Maximilian', 'Laura', 'Tobias', 'Julia',
      'Jan', 'Katharina', 'Stefan', 'Sabine', 'Matthias', 'Jürgen', 'Claudia', 'Andreas', 'Petra', 'Florian',
    ],
    last: [
      'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
      'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Braun', 'Zimmermann', 'Krüger',
    ],
  },
  fr: {
    first: [
      'Camille', 'Louis', 'Léa', 'Hugo', 'Chloé', 'Lucas', 'Manon', 'Nathan', 'Inès', 'Julien',
      'Sophie', 'Thomas', 'Émilie', 'Nicolas', 'Claire', 'Antoine', 'Marie', 'Pierre', 'Céline', 'François',
    ],
    last: [
      'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
      'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
    ],
  },
  nl: {
    first: [
      'Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Tess', 'Milan', 'Sophie', 'Bram', 'Fleur',
      'Thijs', 'Anouk', 'Ruben', 'Lotte', 'Joris', 'Sanne', 'Pieter', 'Eva', 'Niels', 'Femke',
    ],
    last: [
      'de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit',
      'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker',
      'Brouwer',
    ],
  },
  es: {
    first: [
      'Lucía', 'Hugo', 'María', 'Martín', 'Paula', 'Pablo', 'Elena', 'Alejandro', 'Carmen', 'Javier',
      'Sofía', 'Diego', 'Laura', 'Sergio', 'Marta', 'Álvaro', 'Ana', 'David', 'Irene', 'Raúl',
    ],
    last: [
      'García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez',
      'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Alonso',
      'Navarro',
    ],
  },
  ja: {
    first: [
      'Haruto', 'Yui', 'Sota', 'Hina', 'Yuto', 'Aoi', 'Ren', 'Sakura', 'Takumi', 'Yuna',
      'Kenji', 'Akiko', 'Hiroshi', 'Naoko', 'Daisuke', 'Emi', 'Shota', 'Mai', 'Takeshi', 'Yoko',
    ],
    last: [
      'Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato',
      'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi', 'Shimizu', 'Mori',
    ],
  },
};

/** Names for the vendor's own staff: 64 × 64 combinations, unique per user index. */
// biome-ignore format: word list
export const STAFF_FIRST_NAMES = [
  'Alex', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Avery', 'Quinn', 'Harper', 'Rowan',
  'Elena', 'Marcus', 'Nina', 'Oliver', 'Grace', 'Samuel', 'Hannah', 'Isaac', 'Leah', 'Noah',
  'Maya', 'Ethan', 'Chloe', 'Owen', 'Ruby', 'Caleb', 'Ivy', 'Julian', 'Stella', 'Felix',
  'Aria', 'Miles', 'Nora', 'Leo', 'Clara', 'Hugo', 'Iris', 'Theo', 'Mila', 'Adrian',
  'Sofia', 'Victor', 'Lucia', 'Mateo', 'Freya', 'Dmitri', 'Yuki', 'Ravi', 'Amara', 'Kenji',
  'Ingrid', 'Tomas', 'Beatriz', 'Omar', 'Lena', 'Callum', 'Ayesha', 'Henrik', 'Mei', 'Diego',
  'Fatima', 'Lars', 'Imani', 'Paolo',
] as const;

// biome-ignore format: word list
export const STAFF_LAST_NAMES = [
  'Reed', 'Hayes', 'Brooks', 'Foster', 'Bennett', 'Price', 'Coleman', 'Russell', 'Griffin', 'Sullivan',
  'Ortiz', 'Jensen', 'Novak', 'Lindqvist', 'Moreau', 'Rossi', 'Costa', 'Kowalski', 'Nakamura', 'Chen',
  'Okoye', 'Haddad', 'Schultz', 'Duarte', 'Byrne', 'Fraser', 'Holm', 'Ibarra', 'Kaur', 'Larsen',
  'Mendes', 'Nilsson', 'Park', 'Quinlan', 'Sandoval', 'Tanaka', 'Varga', 'Weiss', 'Yilmaz', 'Zhou',
  'Abbott', 'Barnes', 'Carver', 'Delgado', 'Ellis', 'Fleming', 'Gallagher', 'Hartman', 'Irving', 'Keller',
  'Lambert', 'Marsh', 'Nolan', 'Osei', 'Pryce', 'Ramos', 'Stone', 'Thornton', 'Underwood', 'Vance',
  'Whitaker', 'Xu', 'Young', 'Zeller',
] as const;

/** Competitors customers leave for; the first two repeat so loss patterns show. */
export const COMPETITORS: Weighted<string> = [
  ['Clarion BI', 45],
  ['Metricsmith', 30],
  ['Datavane', 15],
  ['In-house build', 10],
];

export const POSITIVE_COMMENTS = [
  'Dashboards save our analysts about 10 hours a week.',
  'Great product, the scheduled reports run like clockwork.',
  'Support team is responsive and knows the product.',
  'Our regional managers finally look at the same numbers.',
  'Easy to roll out to new teams, onboarding was quick.',
  'The new forecasting module is exactly what we needed.',
  'Solid, reliable, and the "executive summary" view is a hit with leadership.',
  'We replaced three spreadsheets and a weekly meeting with it.',
] as const;

export const NEUTRAL_COMMENTS = [
  'Does the job. Exports could be faster.',
  'Good overall, but permissions are fiddly to set up.',
  'Fine for reporting; we still do modelling in Excel.',
  'Would like more connectors, e.g. for our ERP.',
  'OK value, though the price went up this year.',
] as const;

export const NEGATIVE_COMMENTS = [
  'Too complex for most of our team, only two people really use it.',
  'Price increase was hard to justify to finance.',
  'Support took a week to answer an urgent ticket.',
  'Missing the row-level security we were promised.',
  'The outage last month cost us a board report.',
  'Our new CFO wants to consolidate tools, "one BI platform".',
  'Hard to see the value since our champion left.',
  'Evaluating alternatives that are cheaper, frankly.',
] as const;

export const SIGNAL_NOTES: Record<string, readonly string[]> = {
  competitor_evaluation: [
    'Asked for a feature comparison against {competitor}.',
    'Procurement requested pricing "to benchmark against {competitor}".',
    'Champion mentioned a {competitor} pilot in the data team.',
  ],
  leadership_change: [
    'New CFO started; reviewing all software spend.',
    'New VP of Operations joined from a {competitor} shop.',
    'Head of Analytics replaced after reorganisation.',
  ],
  acquisition: [
    'Acquired by a larger group that standardises on {competitor}.',
    'Announced merger; IT consolidation planned for next year.',
  ],
  budget_freeze: [
    'Hiring freeze and 15% cut to software budgets announced.',
    'Finance froze all renewals above threshold pending review.',
  ],
  expansion_interest: [
    'Asked about the enterprise tier and SSO.',
    'Marketing team wants their own workspace, ~20 more seats.',
    'Requested a quote for the forecasting add-on.',
  ],
  usage_near_limit: [
    'Active users at or above licensed seats for several weeks.',
    'Seat limit reached twice this month.',
  ],
  major_incident: [
    'Data sync outage of 14 hours affected month-end reporting.',
    'Dashboard latency incident during their board week.',
  ],
  price_increase_announced: ['Received the list price increase notice (+7%) for next term.'],
  major_release: [
    'Invited to the beta of the new forecasting module.',
    'Attended the spring release webinar.',
  ],
};
