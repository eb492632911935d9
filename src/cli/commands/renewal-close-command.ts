/** `perennial renewal close`: record a renewal's outcome by hand (docs/COMMERCIALS.md, closing a renewal). */
import type { Command } from 'commander';
import { CLOSE_OUTCOMES, type CloseOutcome, closeRenewal } from '../../engine/commercial/close-renewal.ts';
import { RecordError } from '../../engine/queries/record-error.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError, parseDateOption } from '../dates.ts';

type CloseOptions = {
  contract: string;
  outcome: string;
  reasons?: string;
  competitor?: string;
  renewedArr?: string;
  termYears?: string;
  lessons?: string;
  closedOn?: string;
  as: string;
  json?: boolean;
};

export function registerRenewalClose(program: Command, context: () => CliContext): void {
  const renewal =
    program.commands.find((command) => command.name() === 'renewal') ??
    program.command('renewal').description('renewals on the store');
  renewal
    .command('close')
    .description('close a renewal: won, lost, downgraded or churned, with the fields each needs')
    .requiredOption('--contract <id>', 'the contract being renewed')
    .requiredOption('--outcome <outcome>', CLOSE_OUTCOMES.join(' | '))
    .option('--reasons <list>', 'reasons, separated by ";" (needed for lost and churned)')
    .option('--competitor <name>', 'the competitor, if any')
    .option('--renewed-arr <amount>', 'renewed ARR as a decimal (needed for won and downgraded)')
    .option('--term-years <n>', 'term in years (needed for won and downgraded)')
    .option('--lessons <text>', 'lessons learned')
    .option('--closed-on <date>', 'the closing date (default today)')
    .requiredOption('--as <user>', 'the user acting')
    .option('--json', 'print the renewal as JSON')
    .action(async (options: CloseOptions) => {
      const ctx = context();
      const outcome = CLOSE_OUTCOMES.find((candidate) => candidate === options.outcome) as
        | CloseOutcome
        | undefined;
      if (!outcome)
        throw new CliUsageError(`--outcome: ${options.outcome} is not one of ${CLOSE_OUTCOMES.join(', ')}`);
      if (options.termYears !== undefined && !/^\d{1,2}$/.test(options.termYears)) {
        throw new CliUsageError(`--term-years: ${options.termYears} is not a whole number`);
      }
      const closedOn = options.closedOn
        ? parseDateOption('--closed-on', options.closedOn, () => '')
        : undefined;
      try {
        const { renewal: view, changed } = await withStore(ctx, (store) =>
          closeRenewal({
            store,
            tenantId: ctx.config.tenant,
            actorId: options.as,
            at: new Date(),
            input: {
              contractId: options.contract,
              outcome,
              ...(options.reasons ? { reasons: options.reasons.split(';') } : {}),
              ...(options.competitor ? { competitor: options.competitor } : {}),
              ...(options.renewedArr ? { renewedArr: options.renewedArr } : {}),
              ...(options.termYears ? { termYears: Number(options.termYears) } : {}),
              ...(options.lessons ? { lessons: options.lessons } : {}),
              ...(closedOn ? { closedOn } : {}),
            },
          }),
        );
        if (options.json) ctx.out(JSON.stringify({ ...view, changed }, null, 2));
        else ctx.out(`closed ${options.contract}: ${outcome} (changed ${changed.join(', ') || 'nothing'})`);
      } catch (error) {
        if (error instanceof RecordError) throw new CliUsageError(error.message);
        throw error;
      }
    });
}
