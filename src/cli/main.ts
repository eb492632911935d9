/** The `perennial` command line: each command parses its options, calls the core, and formats output. */
import { Command, CommanderError } from 'commander';
import { registerBackup } from './commands/backup-command.ts';
import { registerCalendar } from './commands/calendar-command.ts';
import { registerDemo } from './commands/demo-command.ts';
import { registerEvaluate } from './commands/evaluate-command.ts';
import { registerExport } from './commands/export-command.ts';
import { registerForecastCommands } from './commands/forecast-command.ts';
import { registerImport } from './commands/import-command.ts';
import { registerMail } from './commands/mail-command.ts';
import { registerOutbox } from './commands/outbox-command.ts';
import { registerPolicy } from './commands/policy-command.ts';
import { registerProposal } from './commands/proposal-command.ts';
import { registerQuote } from './commands/quote-command.ts';
import { registerRun } from './commands/run-command.ts';
import { registerServe } from './commands/serve-command.ts';
import { registerStart } from './commands/start-command.ts';
import { registerTenant } from './commands/tenant-command.ts';
import { registerUser } from './commands/user-command.ts';
import { registerWorker } from './commands/worker-command.ts';
import { type CliContext, createContext, EXIT_FAILURE, reportError } from './context.ts';

export function buildProgram(context: () => CliContext): Command {
  const program = new Command('perennial')
    .description('Perennial — the renewal engine for customer-success teams')
    .showHelpAfterError()
    .exitOverride();
  registerImport(program, context);
  registerExport(program, context);
  registerDemo(program, context);
  registerEvaluate(program, context);
  registerRun(program, context);
  registerPolicy(program, context);
  registerStart(program, context);
  registerServe(program, context);
  registerUser(program, context);
  registerQuote(program, context);
  registerProposal(program, context);
  registerForecastCommands(program, context);
  registerWorker(program, context);
  registerOutbox(program, context);
  registerMail(program, context);
  registerCalendar(program, context);
  registerBackup(program, context);
  registerTenant(program, context);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let context: CliContext | undefined;
  const lazyContext = () => {
    context ??= createContext();
    return context;
  };
  try {
    await buildProgram(lazyContext).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_FAILURE;
    return reportError(context ?? { err: (text) => process.stderr.write(`${text}\n`) }, error);
  }
}

process.exitCode = await main(process.argv);
