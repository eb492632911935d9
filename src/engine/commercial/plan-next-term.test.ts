import { describe, expect, it } from 'vitest';
import { nextContractId, planNextTerm } from './plan-next-term.ts';

describe('planNextTerm', () => {
  it('numbers the terms of a chain deterministically', () => {
    expect(nextContractId('C-1')).toBe('C-1-T2');
    expect(nextContractId('C-1-T2')).toBe('C-1-T3');
    expect(nextContractId('C-1-T9')).toBe('C-1-T10');
    expect(nextContractId('SF-0061-T')).toBe('SF-0061-T-T2');
  });

  it('starts the day after the old end and runs whole years', () => {
    expect(planNextTerm({ contractId: 'C-1', endDate: '2027-02-28', termYears: 1 })).toEqual({
      contractId: 'C-1-T2',
      startDate: '2027-03-01',
      endDate: '2028-02-29',
    });
    expect(planNextTerm({ contractId: 'C-9', endDate: '2027-09-30', termYears: 2 })).toEqual({
      contractId: 'C-9-T2',
      startDate: '2027-10-01',
      endDate: '2029-09-30',
    });
    expect(planNextTerm({ contractId: 'C-L', endDate: '2028-02-28', termYears: 3 })).toEqual({
      contractId: 'C-L-T2',
      startDate: '2028-02-29',
      endDate: '2031-02-27',
    });
  });
});
