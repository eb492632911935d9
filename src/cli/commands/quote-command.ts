import type { Command } from 'commander';
import { formatMinor } from '../../domain/money.ts';
import { formatQuote } from '../../domain/pricing/format-quote.ts';
import { formatBpsAsPercent } from '../../domain/pricing/quote-renewal-options.ts';
import { quoteAccount } from '../../engine/commercial/quote-account.ts';
import { specialistsOf } from '../../engine/evaluate-portfolio.ts';
import { loadCsvPortfolio } from '../../engine/load-csv-portfolio.ts';
import { InputError, ProblemLog } from '../../import/problems.ts';
import type { CliContext } from '../context.ts';
import { CliUsageError, parseDateOption, today } from '../dates.ts';
import { formatTable, policyFromOption } from './evaluate-command.ts';

type QuoteOptions = {
  input: string;
  asOf?: string;
  account: string;
  policy?: string;
  seatsChange?: string;
  json?: boolean;
};

export function parseSeatsChange(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[+-]?\d{1,7}$/.test(value))
    throw new CliUsageError(`--seats-change: ${value} is not a whole number`);
  return Number(value);
}

export function registerQuote(program: Command, context: () => CliContext): void {
  program
    .command('quote')
    .description("dry run: price an account's upcoming renewal from a directory of canonical CSVs")
    .requiredOption('-i, --input <dir>', 'directory of canonical CSV files')
    .requiredOption('--account <id>', 'the account to quote')
    .option('--as-of <date>', 'quote as of this date (default today)')
    .option('--policy <file>', 'policy file (YAML or JSON); default: the built-in policy')
    .option('--seats-change <n>', 'also price a volume change of n seats (+/-)')
    .option('--json', 'print the JSON document of the data contract')
    .action(async (options: QuoteOptions) => {
      const ctx = context();
      const asOf = parseDateOption('--as-of', options.asOf, () => today());
      const seatsChange = parseSeatsChange(options.seatsChange);
      const policy = await policyFromOption(options.policy);
      const portfolio = await loadCsvPortfolio({ inputDir: options.input, asOf });
      const snapshot = portfolio.snapshots.find(
        (candidate) => candidate.account.accountId === options.account,
      );
      if (!snapshot) {
        const problems = new ProblemLog();
        problems.error({
          file: 'accounts.csv',
          line: null,
          column: 'account_id',
          message: `unknown account ${options.account} (--account)`,
        });
        throw new InputError(problems);
      }
      const { quote, renewal } = quoteAccount({
        snapshot,
        policy,
        asOf,
        specialists: specialistsOf(portfolio.users),
        ...(seatsChange === undefined ? {} : { seatsChange }),
      });
      if (options.json) {
        ctx.out(JSON.stringify(formatQuote(quote), null, 2));
        return;
      }
      for (const warning of portfolio.warnings) ctx.err(`warning: ${warning}`);
      ctx.out(
        `${snapshot.account.name} (${quote.accountId}) · renewal of ${quote.contractId} due ${renewal.dueDate} · ARR ${renewal.arr.amount} ${quote.currency} · ${quote.monthsEarly ?? '—'} months early${
          quote.earlyRung ? ` · early discount ${formatBpsAsPercent(quote.earlyRung.discountBps)}` : ''
        }\n`,
      );
      ctx.out(
        formatTable(
          ['option', 'term', 'per year', `TCV ${quote.currency}`, 'discount', 'approvals', 'label'],
          quote.options.map((option) => [
            option.key,
            `${option.termYears}y`,
            option.years.map((year) => formatMinor(year.amountMinor, quote.currency)).join(' / '),
            formatMinor(option.totalContractValueMinor, quote.currency),
            formatBpsAsPercent(option.effectiveDiscountBps),
            option.requiredApprovals.join(','),
            option.label,
          ]),
        ),
      );
      const warnings = [...quote.warnings, ...quote.options.flatMap((option) => option.warnings)];
      const seen = new Set<string>();
      for (const warning of warnings) {
        if (seen.has(warning.message)) continue;
        seen.add(warning.message);
        ctx.out(`warning: ${warning.message}`);
      }
    });
}
