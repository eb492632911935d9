import type { Command } from 'commander';
import { z } from 'zod';
import { createApiToken } from '../../auth/api-tokens.ts';
import { ROLES, SCOPES } from '../../auth/roles.ts';
import { randomSecret } from '../../auth/secrets.ts';
import { addUser, disableUser, findUserByEmail } from '../../auth/user-accounts.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError } from '../dates.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const AddOptions = z.object({
  email: z.email('--email: not an email address'),
  name: z.string().min(1, '--name is required'),
  role: z.enum(ROLES as [string, ...string[]], `--role: one of ${ROLES.join(', ')}`),
  manager: z.string().optional(),
  passwordStdin: z.boolean().optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliUsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

/** `perennial user add | disable | token`: operators manage who can sign in and integration tokens. */
export function registerUser(program: Command, context: () => CliContext): void {
  const user = program.command('user').description('add or disable people who sign in; issue API tokens');
  user
    .command('add')
    .description('add a user who can sign in (or give an imported person a password)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--manager <userId>', 'the user id of their manager')
    .option('--password-stdin', 'read the password from stdin (otherwise one is generated and printed once)')
    .action(async (raw: Record<string, unknown>) => {
      const ctx = context();
      const options = parse(AddOptions, raw);
      const generated = options.passwordStdin ? null : randomSecret('', 18);
      const password = options.passwordStdin ? await readStdin() : generated!;
      const { user: added, activated } = await withStore(ctx, (store) =>
        store.transaction((tx) =>
          addUser({
            session: tx,
            tenantId: ctx.config.tenant,
            email: options.email,
            name: options.name,
            role: options.role as (typeof ROLES)[number],
            password,
            managerId: options.manager ?? null,
          }),
        ),
      );
      ctx.out(`${activated ? 'activated' : 'added'} ${added.email} (${added.userId}, ${added.role})`);
      if (generated) ctx.out(`password (shown once): ${generated}`);
    });
  user
    .command('disable')
    .description('disable a user: their sessions and API tokens stop working at once')
    .requiredOption('--email <email>', 'sign-in email')
    .action(async (options: { email: string }) => {
      const ctx = context();
      const disabled = await withStore(ctx, (store) =>
        store.transaction((tx) =>
          disableUser({ session: tx, tenantId: ctx.config.tenant, email: options.email, now: new Date() }),
        ),
      );
      ctx.out(`disabled ${disabled.email} (${disabled.userId})`);
    });
  user
    .command('token')
    .description('issue a personal API token for a user (printed once; only its hash is stored)')
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for, e.g. "CRM sync"')
    .option('--scope <scopes>', `comma-separated: ${SCOPES.join(', ')}`, 'read')
    .action(async (options: { email: string; name: string; scope: string }) => {
      const ctx = context();
      const scopes = options.scope.split(',').map((scope) => scope.trim());
      const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
      if (unknown.length > 0)
        throw new CliUsageError(`--scope: unknown ${unknown.join(', ')} (use ${SCOPES.join(', ')})`);
      const { token, info } = await withStore(ctx, async (store) => {
        const found = await findUserByEmail(store, ctx.config.tenant, options.email);
        if (!found || found.disabled) throw new CliUsageError(`no active user with email ${options.email}`);
        return createApiToken({
          session: store,
          tenantId: ctx.config.tenant,
          userId: found.userId,
          name: options.name,
          scopes: scopes as (typeof SCOPES)[number][],
          now: new Date(),
        });
      });
      ctx.err(`token ${info.id} for ${options.email} (${info.scopes.join(', ')}) — shown once:`);
      ctx.out(token);
    });
}
