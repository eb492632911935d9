import { describe, expect, it } from 'vitest';
import { bpsToPct, formatQuote } from './format-quote.ts';
import { makeContract, makePolicy, makeQuoteInput } from './pricing-test-helpers.ts';
import { quoteRenewalOptions } from './quote-renewal-options.ts';

const optionJson = (json: ReturnType<typeof formatQuote>, key: string) => {
  const option = json.options.find((candidate) => candidate.key === key);
  if (!option) throw new Error(`no ${key}`);
  return option;
};

describe('formatQuote — DATA-CONTRACT §3', () => {
  it('prints the contract shape with exact decimal strings', () => {
    const json = formatQuote(quoteRenewalOptions(makeQuoteInput({ monthsEarly: 5.2, earlyQualified: true })));
    expect(Object.keys(json).slice(0, 5)).toEqual([
      'accountId',
      'contractId',
      'currency',
      'monthsEarly',
      'earlyRenewal',
    ]);
    expect(json).toMatchObject({ accountId: 'A-1', contractId: 'C-1', currency: 'USD', monthsEarly: 5.2 });
    expect(json.earlyRenewal).toEqual({ fromMonths: 3, discountPct: 5, rangePct: { min: 5, max: 10 } });
    const good = optionJson(json, 'good');
    expect(good).toMatchObject({
      key: 'good',
      label: 'Good: flat renewal, 1 year, current scope',
      termYears: 1,
      years: [{ year: 1, amount: '44400.00' }],
      totalContractValue: { amount: '44400.00', currency: 'USD' },
      effectiveDiscountPct: 0,
      requiredApprovals: ['manager'],
    });
    const fixed2 = optionJson(json, 'multi_year_2_fixed');
    expect(fixed2.years).toEqual([
      { year: 1, amount: '42180.00' },
      { year: 2, amount: '42180.00' },
    ]);
    expect(fixed2.totalContractValue).toEqual({ amount: '84360.00', currency: 'USD' });
    expect(fixed2.listTotal).toEqual({ amount: '91020.00', currency: 'USD' });
    expect(fixed2.effectiveDiscountPct).toBe(7.32);
    expect(optionJson(json, 'uplift').effectiveDiscountPct).toBe(-5);
    expect(json.options.map((option) => option.key)).toEqual(
      expect.arrayContaining(['good', 'better', 'best', 'early_renewal']),
    );
  });

  it('effectiveDiscountPct: 750 bps → 7.5, never -0', () => {
    expect(bpsToPct(750)).toBe(7.5);
    expect(bpsToPct(1595)).toBe(15.95);
    expect(bpsToPct(-500)).toBe(-5);
    expect(Object.is(bpsToPct(0), 0)).toBe(true);
    expect(JSON.stringify({ pct: bpsToPct(1) })).toBe('{"pct":0.01}');
  });

  it('JPY amounts have no decimals, BHD three', () => {
    const yen = formatQuote(
      quoteRenewalOptions(
        makeQuoteInput({
          contract: makeContract({ currency: 'JPY', arrMinor: 1_234_567, seats: 10 }),
          monthsEarly: 4,
          earlyQualified: true,
        }),
      ),
    );
    expect(optionJson(yen, 'early_renewal').years).toEqual([{ year: 1, amount: '1172839' }]);
    expect(optionJson(yen, 'early_renewal').totalContractValue).toEqual({
      amount: '1172839',
      currency: 'JPY',
    });
    const dinar = formatQuote(
      quoteRenewalOptions(
        makeQuoteInput({
          contract: makeContract({ currency: 'BHD', arrMinor: 1_234_567, seats: 10 }),
          monthsEarly: 4,
          earlyQualified: true,
        }),
      ),
    );
    expect(optionJson(dinar, 'early_renewal').years).toEqual([{ year: 1, amount: '1172.839' }]);
    expect(optionJson(dinar, 'uplift').years).toEqual([{ year: 1, amount: '1296.295' }]);
  });

  it('keeps line items, incentives and warnings, with money as {amount, currency}', () => {
    const json = formatQuote(
      quoteRenewalOptions(
        makeQuoteInput({ segment: 'smb', monthsEarly: 4, earlyQualified: true, expansionSignal: false }),
      ),
    );
    const early = optionJson(json, 'early_renewal');
    expect(early.incentives).toEqual([
      { kind: 'training', label: 'Two live training sessions for new users', value: null },
      { kind: 'services_credit', label: 'Services credit', value: { amount: '2220.00', currency: 'USD' } },
    ]);
    expect(early.lineItems[0]).toEqual({
      key: 'subscription',
      label: 'Subscription (100 seats)',
      kind: 'subscription',
      years: [{ year: 1, amount: '42180.00' }],
      total: { amount: '42180.00', currency: 'USD' },
      value: null,
    });
    expect(optionJson(json, 'better').warnings.map((warning) => warning.code)).toEqual([
      'expansion_exploratory',
    ]);
  });

  it('round-trips through JSON unchanged', () => {
    const json = formatQuote(quoteRenewalOptions(makeQuoteInput({ policy: makePolicy(), seatsChange: 3 })));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('says so when no early rung applies', () => {
    expect(formatQuote(quoteRenewalOptions(makeQuoteInput())).earlyRenewal).toBeNull();
  });
});
