import type { Command } from 'commander';
import type { AccountEvaluation } from '../../domain/evaluate-account.ts';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy/policy-schema.ts';
import { evaluatePortfolio, evaluationDocument, specialistsOf } from '../../engine/evaluate-portfolio.ts';
import { loadCsvPortfolio } from '../../engine/load-csv-portfolio.ts';
import { readPolicyFile } from '../../engine/policy-store.ts';
import type { CliContext } from '../context.ts';
import { parseDateOption, today } from '../dates.ts';

type EvaluateOptions = { input: string; asOf?: string; policy?: string; json?: boolean };

export async function policyFromOption(file: string | undefined): Promise<Policy> {
  return file ? (await readPolicyFile(file)).policy : DEFAULT_POLICY;
}

function row(evaluation: AccountEvaluation): string[] {
  const renewal = evaluation.renewal;
  return [
    evaluation.accountId,
    evaluation.segment,
    `${evaluation.health.score} ${evaluation.health.band}`,
    renewal ? `${renewal.dueDate} (${renewal.daysToRenewal}d)` : '—',
    renewal ? `${renewal.arr.amount} ${renewal.arr.currency}` : '—',
    renewal ? `${renewal.type}/${renewal.motion}` : '—',
    renewal ? `${renewal.owner.role}${renewal.owner.userId ? ` ${renewal.owner.userId}` : ''}` : '—',
    renewal ? renewal.riskFlags.join(',') || '—' : '—',
    renewal ? (renewal.earlyRenewal.qualified ? 'yes' : 'no') : '—',
    renewal ? renewal.probability.toFixed(2) : '—',
  ];
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}

export function registerEvaluate(program: Command, context: () => CliContext): void {
  program
    .command('evaluate')
    .description('dry run: evaluate a directory of canonical CSVs without a database')
    .requiredOption('-i, --input <dir>', 'directory of canonical CSV files')
    .option('--as-of <date>', 'evaluate as of this date (default today)')
    .option('--policy <file>', 'policy file (YAML or JSON); default: the built-in policy')
    .option('--json', 'print the JSON document of the data contract')
    .action(async (options: EvaluateOptions) => {
      const ctx = context();
      const asOf = parseDateOption('--as-of', options.asOf, () => today());
      const policy = await policyFromOption(options.policy);
      const portfolio = await loadCsvPortfolio({ inputDir: options.input, asOf });
      const accounts = evaluatePortfolio({
        snapshots: portfolio.snapshots,
        policy,
        asOf,
        specialists: specialistsOf(portfolio.users),
      });
      if (options.json) {
        ctx.out(JSON.stringify(evaluationDocument(asOf, policy, accounts), null, 2));
        return;
      }
      for (const warning of portfolio.warnings) ctx.err(`warning: ${warning}`);
      ctx.out(
        formatTable(
          [
            'account',
            'segment',
            'health',
            'renewal due',
            'ARR',
            'type/motion',
            'owner',
            'risk flags',
            'early',
            'p',
          ],
          accounts.map(row),
        ),
      );
      const bands = { green: 0, yellow: 0, red: 0 };
      for (const account of accounts) bands[account.health.band] += 1;
      ctx.out(
        `\n${accounts.length} accounts as of ${asOf}: ${bands.green} green, ${bands.yellow} yellow, ${bands.red} red`,
      );
    });
}
