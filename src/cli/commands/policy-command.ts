import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { loadPolicy, readPolicyFile, savePolicy } from '../../engine/policy-store.ts';
import { type CliContext, withStore } from '../context.ts';

export function registerPolicy(program: Command, context: () => CliContext): void {
  const policy = program
    .command('policy')
    .description('show, check or set the renewal policy (versioned in the store)');
  policy
    .command('show')
    .description('print the policy in force (YAML; --json for JSON)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const stored = await withStore(ctx, (store) => loadPolicy(store, ctx.config.tenant));
      const header = `# policy version ${stored.version} (${stored.source === 'default' ? 'built-in default' : 'stored'})`;
      ctx.out(options.json ? JSON.stringify(stored.policy, null, 2) : `${header}\n${toYaml(stored.policy)}`);
    });
  policy
    .command('check')
    .description('validate a policy file; every violation with its path, out-of-range values as warnings')
    .argument('<file>', 'YAML or JSON policy file')
    .action(async (file: string) => {
      const ctx = context();
      const { check } = await readPolicyFile(file);
      for (const warning of check.warnings) ctx.err(`warning: ${file}: ${warning.path}: ${warning.message}`);
      ctx.out(`${file}: ok${check.warnings.length > 0 ? ` (${check.warnings.length} warnings)` : ''}`);
    });
  policy
    .command('set')
    .description('check a policy file and store it as the new version')
    .argument('<file>', 'YAML or JSON policy file')
    .action(async (file: string) => {
      const ctx = context();
      const { policy: parsed, check } = await readPolicyFile(file);
      for (const warning of check.warnings) ctx.err(`warning: ${file}: ${warning.path}: ${warning.message}`);
      const version = await withStore(ctx, (store) =>
        savePolicy({ session: store, tenantId: ctx.config.tenant, policy: parsed, createdBy: 'cli' }),
      );
      ctx.out(`policy version ${version} in force`);
    });
}
