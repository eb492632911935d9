/**
 * The next term a signed renewal creates (pure): its contract id, derived deterministically from the
 * renewed contract (`C-1` → `C-1-T2` → `C-1-T3`), so a retried signature lands on the same key; it
 * starts the day after the old term ends and lasts the option's whole years (the last day is the
 * day before the anniversary: 2027-03-01 + 1 year → 2028-02-29).
 */
import { addDays, addYears, type CalendarDate } from '../../domain/calendar.ts';

export type NextTerm = { contractId: string; startDate: CalendarDate; endDate: CalendarDate };

export function nextContractId(contractId: string): string {
  const match = /^(.*)-T(\d+)$/.exec(contractId);
  if (match) return `${match[1]}-T${Number(match[2]) + 1}`;
  return `${contractId}-T2`;
}

export function planNextTerm({
  contractId,
  endDate,
  termYears,
}: {
  contractId: string;
  endDate: CalendarDate;
  termYears: number;
}): NextTerm {
  const startDate = addDays(endDate, 1);
  return {
    contractId: nextContractId(contractId),
    startDate,
    endDate: addDays(addYears(startDate, termYears), -1),
  };
}
