import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { formatMinor } from '../../domain/money.ts';
import { APPROVAL_ROLES, type ApprovalRole } from '../../domain/pricing/pricing-policy.ts';
import { formatBpsAsPercent } from '../../domain/pricing/quote-renewal-options.ts';
import { approveProposal } from '../../engine/commercial/approve-proposal.ts';
import { autoApprovalBlocker, autoApproveProposal } from '../../engine/commercial/auto-approve-proposal.ts';
import {
  ACCEPTANCE_LINK_DAYS,
  acceptanceLinkSecret,
  acceptanceToken,
} from '../../engine/commercial/commercial-secrets.ts';
import { createProposal } from '../../engine/commercial/create-proposal.ts';
import { declineRenewalContract } from '../../engine/commercial/decline-renewal-contract.ts';
import {
  generateProposalDocument,
  type ProposalDocumentFormat,
} from '../../engine/commercial/generate-proposal-document.ts';
import { generateRenewalContract } from '../../engine/commercial/generate-renewal-contract.ts';
import { listProposals } from '../../engine/commercial/list-proposals.ts';
import { loadProposal, type ProposalRecord } from '../../engine/commercial/proposal-records.ts';
import { rejectProposal } from '../../engine/commercial/reject-proposal.ts';
import { requestProposalApproval } from '../../engine/commercial/request-proposal-approval.ts';
import { reviseProposal } from '../../engine/commercial/revise-proposal.ts';
import { sendProposal } from '../../engine/commercial/send-proposal.ts';
import { signRenewalContract } from '../../engine/commercial/sign-renewal-contract.ts';
import { LANGUAGES, type Language } from '../../mail/choose-language.ts';
import { type CliContext, withStore } from '../context.ts';
import { CliUsageError, parseDateOption, today } from '../dates.ts';
import { formatTable } from './evaluate-command.ts';
import { parseSeatsChange } from './quote-command.ts';
import { registerRenewalClose } from './renewal-close-command.ts';

type ActOptions = { as: string; at?: string; comment?: string; sequence?: string; json?: boolean };

const InstantSchema = z.iso.datetime({ offset: true });

function instantOption(value: string | undefined): string {
  if (value === undefined) return new Date().toISOString();
  if (!InstantSchema.safeParse(value).success) {
    throw new CliUsageError(`--at: ${value} is not an ISO 8601 instant (2026-11-23T10:00:00Z)`);
  }
  return value;
}

function idArgument(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new CliUsageError(`${value} is not a proposal id (a number)`);
  return Number(value);
}

function sequenceOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new CliUsageError(`--sequence: ${value} is not a whole number`);
  return Number(value);
}

function documentFormat(
  value: string | undefined,
  output: string,
  fallback: ProposalDocumentFormat,
): ProposalDocumentFormat {
  if (value === undefined)
    return /\.html?$/i.test(output) ? 'html' : /\.pdf$/i.test(output) ? 'pdf' : fallback;
  if (value !== 'html' && value !== 'pdf') throw new CliUsageError(`--format: ${value} is not html or pdf`);
  return value;
}

function languageOption(value: string | undefined): Language | undefined {
  if (value === undefined) return undefined;
  const language = LANGUAGES.find((candidate) => candidate === value);
  if (!language) throw new CliUsageError(`--language: ${value} is not one of ${LANGUAGES.join(', ')}`);
  return language;
}

function stepOption(value: string | undefined): ApprovalRole | undefined {
  if (value === undefined) return undefined;
  const role = APPROVAL_ROLES.find((candidate) => candidate === value);
  if (!role) throw new CliUsageError(`--step: ${value} is not one of ${APPROVAL_ROLES.join(', ')}`);
  return role;
}

function money(record: ProposalRecord, minor: number): string {
  return `${formatMinor(minor, record.currency)} ${record.currency}`;
}

/** The proposal as JSON for `--json`: amounts as exact decimal strings. */
export function proposalJson(record: ProposalRecord) {
  const chosen = record.terms.chosen;
  return {
    id: record.id,
    contractId: record.contractId,
    accountId: record.accountId,
    accountName: record.terms.account.name,
    version: record.version,
    latestVersion: record.latestVersion,
    status: record.status,
    sequence: record.sequence,
    currency: record.currency,
    option: {
      key: chosen.key,
      label: chosen.label,
      termYears: chosen.termYears,
      years: chosen.years.map((year) => ({
        year: year.year,
        amount: formatMinor(year.amountMinor, record.currency),
      })),
      totalContractValue: {
        amount: formatMinor(chosen.totalContractValueMinor, record.currency),
        currency: record.currency,
      },
      effectiveDiscountPct: chosen.effectiveDiscountBps / 100,
    },
    requiredApprovals: record.workflow.requiredApprovals,
    steps: record.workflow.steps,
    customTerms: record.terms.customTerms,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    sentAt: record.sentAt,
    signedAt: record.signedAt,
    audit: record.workflow.audit,
  };
}

function describe(record: ProposalRecord): string {
  const chosen = record.terms.chosen;
  const lines = [
    `proposal ${record.id} · ${record.terms.account.name} (${record.accountId}) · renewal of ${record.contractId} due ${record.terms.renewal.dueDate}`,
    `version ${record.version}${record.latestVersion !== record.version ? ` (superseded by version ${record.latestVersion})` : ''} · ${record.status} · sequence ${record.sequence}`,
    `option ${chosen.key}: ${chosen.label}`,
    `  ${chosen.years.map((year) => `year ${year.year} ${money(record, year.amountMinor)}`).join(' · ')} · TCV ${money(record, chosen.totalContractValueMinor)} · discount ${formatBpsAsPercent(chosen.effectiveDiscountBps)}`,
    `approvals: ${
      record.workflow.steps
        .map(
          (step) =>
            `${step.role} ${step.status}${step.decidedBy ? ` by ${step.decidedBy}` : ''}${step.comment ? ` ("${step.comment}")` : ''}`,
        )
        .join(' · ') || 'none'
    }`,
  ];
  if (record.terms.customTerms) lines.push(`custom terms: ${record.terms.customTerms}`);
  return lines.join('\n');
}

export function registerProposal(program: Command, context: () => CliContext): void {
  registerRenewalClose(program, context);
  const proposal = program
    .command('proposal')
    .description('renewal proposals on the store: create, approve, send, documents, contract and signature');

  const print = (ctx: CliContext, record: ProposalRecord, json: boolean | undefined, headline: string) => {
    if (json) ctx.out(JSON.stringify(proposalJson(record), null, 2));
    else ctx.out(`${headline}\n${describe(record)}`);
  };

  const actOptions = (command: Command) =>
    command
      .requiredOption('--as <user>', 'the user acting (user id from users.csv)')
      .option('--at <instant>', 'when (ISO 8601 with offset; default now)')
      .option('--comment <text>', 'a comment for the audit trail')
      .option('--sequence <n>', 'fail with a conflict unless the proposal is still at this sequence')
      .option('--json', 'print the proposal as JSON');

  actOptions(
    proposal
      .command('create')
      .description('create the proposal of a renewal from the current quote and a chosen option')
      .requiredOption('--contract <id>', 'the contract being renewed')
      .requiredOption('--option <key>', 'the quoted option (good, better, best, early_renewal, …)')
      .option('--as-of <date>', 'price as of this date (default today)')
      .option('--seats-change <n>', 'price a volume change of n seats (option volume_change)')
      .option('--custom-terms <text>', 'non-standard terms (needs legal approval)'),
  ).action(
    async (
      options: ActOptions & {
        contract: string;
        option: string;
        asOf?: string;
        seatsChange?: string;
        customTerms?: string;
      },
    ) => {
      const ctx = context();
      const asOf = parseDateOption('--as-of', options.asOf, () => today());
      const seatsChange = parseSeatsChange(options.seatsChange);
      const record = await withStore(ctx, (store) =>
        createProposal({
          store,
          tenantId: ctx.config.tenant,
          contractId: options.contract,
          optionKey: options.option,
          actorId: options.as,
          asOf,
          at: instantOption(options.at),
          ...(seatsChange === undefined ? {} : { seatsChange }),
          ...(options.customTerms === undefined ? {} : { customTerms: options.customTerms }),
          ...(options.comment ? { comment: options.comment } : {}),
        }),
      );
      print(ctx, record, options.json, `created proposal ${record.id}`);
    },
  );

  actOptions(
    proposal
      .command('quick')
      .description(
        'one command from evaluation to a sent proposal PDF: create, request approval, auto-approve a standard SMB renewal, send',
      )
      .requiredOption('--contract <id>', 'the contract being renewed')
      .option('--option <key>', 'the quoted option', 'good')
      .option('--as-of <date>', 'price as of this date (default today)')
      .requiredOption('-o, --output <file>', 'where to write the proposal PDF'),
  ).action(
    async (options: ActOptions & { contract: string; option: string; asOf?: string; output: string }) => {
      const ctx = context();
      const asOf = parseDateOption('--as-of', options.asOf, () => today());
      const at = instantOption(options.at);
      const tenantId = ctx.config.tenant;
      await withStore(ctx, async (store) => {
        const base = { store, tenantId, actorId: options.as, at };
        const created = await createProposal({
          ...base,
          contractId: options.contract,
          optionKey: options.option,
          asOf,
        });
        let record = await requestProposalApproval({ ...base, proposalId: created.id });
        const blocker = autoApprovalBlocker(record);
        if (blocker === null)
          record = (await autoApproveProposal({ store, tenantId, proposalId: record.id, at })) ?? record;
        if (record.status !== 'approved') {
          const waiting = record.workflow.steps
            .filter((step) => step.status !== 'approved')
            .map((step) => step.role);
          ctx.out(
            `created proposal ${record.id}; not approved automatically because ${blocker ?? 'it is not approvable'}`,
          );
          ctx.out(
            `waiting for: ${waiting.join(', ')} — then: perennial proposal send ${record.id} --as ${options.as}`,
          );
          return;
        }
        record = await sendProposal({ ...base, proposalId: record.id });
        const document = await generateProposalDocument({
          store,
          tenantId,
          proposalId: record.id,
          at,
          actor: options.as,
        });
        await writeFile(options.output, document.content);
        const link = acceptanceToken(
          acceptanceLinkSecret(ctx.config),
          record.id,
          new Date(Date.parse(at) + ACCEPTANCE_LINK_DAYS * 86_400_000),
        );
        print(
          ctx,
          record,
          options.json,
          `proposal ${record.id} approved automatically and sent; PDF written to ${options.output}`,
        );
        if (!options.json) {
          ctx.out(`one-click acceptance: ${ctx.config.publicUrl.replace(/\/+$/, '')}/api/v1/accept/${link}`);
        }
      });
    },
  );

  proposal
    .command('list')
    .description('proposals, latest version of each renewal')
    .option('--all-versions', 'include superseded versions')
    .option('--status <status>', 'only this status')
    .option('--json', 'print JSON')
    .action(async (options: { allVersions?: boolean; status?: string; json?: boolean }) => {
      const ctx = context();
      const records = await withStore(ctx, (store) =>
        listProposals({
          session: store,
          tenantId: ctx.config.tenant,
          allVersions: options.allVersions ?? false,
          ...(options.status ? { status: options.status } : {}),
        }),
      );
      if (options.json) {
        ctx.out(JSON.stringify(records.map(proposalJson), null, 2));
        return;
      }
      ctx.out(
        formatTable(
          ['id', 'account', 'renewal', 'due', 'v', 'status', 'option', 'TCV', 'waiting for'],
          records.map((record) => [
            String(record.id),
            record.terms.account.name,
            record.contractId,
            record.terms.renewal.dueDate,
            String(record.version),
            record.status,
            record.terms.chosen.key,
            money(record, record.terms.chosen.totalContractValueMinor),
            record.status === 'pending_approval'
              ? record.workflow.steps
                  .filter((step) => step.status === 'pending')
                  .map((step) => step.role)
                  .join(',')
              : '',
          ]),
        ),
      );
    });

  proposal
    .command('show <id>')
    .description('one proposal version: terms, approvals and audit trail')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const ctx = context();
      const record = await withStore(ctx, (store) => loadProposal(store, ctx.config.tenant, idArgument(id)));
      if (options.json) {
        ctx.out(JSON.stringify(proposalJson(record), null, 2));
        return;
      }
      ctx.out(describe(record));
      ctx.out('\naudit:');
      for (const entry of record.workflow.audit) {
        ctx.out(
          `  ${entry.at} ${entry.actor} (${entry.actorRole}) ${entry.action}${entry.step ? ` ${entry.step}` : ''}: ${entry.from} → ${entry.to}${entry.comment ? ` — ${entry.comment}` : ''}`,
        );
      }
    });

  const simple = (
    name: string,
    description: string,
    run: typeof requestProposalApproval,
    done: string,
    withStep = false,
  ) => {
    const command = actOptions(proposal.command(`${name} <id>`).description(description));
    if (withStep) command.option('--step <role>', 'the approval step to decide (default: your role)');
    command.action(async (id: string, options: ActOptions & { step?: string }) => {
      const ctx = context();
      const step = stepOption(options.step);
      const expectedSequence = sequenceOption(options.sequence);
      const record = await withStore(ctx, (store) =>
        run({
          store,
          tenantId: ctx.config.tenant,
          proposalId: idArgument(id),
          actorId: options.as,
          at: instantOption(options.at),
          ...(options.comment ? { comment: options.comment } : {}),
          ...(expectedSequence === undefined ? {} : { expectedSequence }),
          ...(step ? { step } : {}),
        }),
      );
      print(ctx, record, options.json, `${done} proposal ${record.id}`);
    });
  };
  simple(
    'request-approval',
    'submit the proposal for its required approvals',
    requestProposalApproval,
    'submitted',
  );
  simple(
    'approve',
    'approve a step (segregation of duties applies)',
    approveProposal,
    'approved a step of',
    true,
  );
  simple('reject', 'reject a step (a comment is required)', rejectProposal, 'rejected a step of', true);
  simple('send', 'send the approved proposal to the customer (terms freeze)', sendProposal, 'sent');

  actOptions(
    proposal
      .command('revise <id>')
      .description('make a new version (re-priced now); a sent version stays as it was')
      .option('--option <key>', 'the option of the new version (default: unchanged)')
      .option('--as-of <date>', 'price as of this date (default today)')
      .option('--seats-change <n>', 'price a volume change of n seats')
      .option('--custom-terms <text>', 'non-standard terms (needs legal approval)'),
  ).action(
    async (
      id: string,
      options: ActOptions & { option?: string; asOf?: string; seatsChange?: string; customTerms?: string },
    ) => {
      const ctx = context();
      const asOf = parseDateOption('--as-of', options.asOf, () => today());
      const seatsChange = parseSeatsChange(options.seatsChange);
      const expectedSequence = sequenceOption(options.sequence);
      const record = await withStore(ctx, (store) =>
        reviseProposal({
          store,
          tenantId: ctx.config.tenant,
          proposalId: idArgument(id),
          actorId: options.as,
          asOf,
          at: instantOption(options.at),
          ...(options.option ? { optionKey: options.option } : {}),
          ...(seatsChange === undefined ? {} : { seatsChange }),
          ...(options.customTerms === undefined ? {} : { customTerms: options.customTerms }),
          ...(options.comment ? { comment: options.comment } : {}),
          ...(expectedSequence === undefined ? {} : { expectedSequence }),
        }),
      );
      print(ctx, record, options.json, `revised: proposal ${record.id} is version ${record.version}`);
    },
  );

  const renderDocument = async (
    id: string,
    options: { output: string; as: string; format?: string; language?: string },
    fallbackFormat: ProposalDocumentFormat,
  ) => {
    const ctx = context();
    const format = documentFormat(options.format, options.output, fallbackFormat);
    const language = languageOption(options.language);
    const document = await withStore(ctx, (store) =>
      generateProposalDocument({
        store,
        tenantId: ctx.config.tenant,
        proposalId: idArgument(id),
        at: new Date().toISOString(),
        actor: options.as,
        format,
        ...(language ? { language } : {}),
      }),
    );
    await writeFile(options.output, document.content);
    ctx.out(
      `wrote ${options.output} (${format.toUpperCase()}, ${document.language}, ${document.bytes} bytes, sha256 ${document.sha256}; document ${document.documentId}${document.created ? '' : ', unchanged'})`,
    );
    if (document.missingCodePoints.length > 0) {
      ctx.out(
        `note: the PDF font cannot draw ${document.missingCodePoints.map((point) => `U+${point.toString(16).toUpperCase()}`).join(', ')}; the document says so (the HTML version shows them)`,
      );
    }
  };

  proposal
    .command('document <id>')
    .description(
      "render the proposal as HTML or PDF in the account's language (stored in documents) and write it to a file",
    )
    .requiredOption('-o, --output <file>', 'where to write it (.html or .pdf)')
    .option('--format <format>', 'html or pdf (default: from the file name, else pdf)')
    .option('--language <language>', `en, ja or de (default: the account's language)`)
    .option('--as <user>', 'who generated it (audit)', 'cli')
    .action((id: string, options: { output: string; as: string; format?: string; language?: string }) =>
      renderDocument(id, options, 'pdf'),
    );

  proposal
    .command('pdf <id>')
    .description('render the proposal PDF (stored in documents) and write it to a file')
    .requiredOption('-o, --output <file>', 'where to write the PDF')
    .option('--language <language>', `en, ja or de (default: the account's language)`)
    .option('--as <user>', 'who generated it (audit)', 'cli')
    .action((id: string, options: { output: string; as: string; language?: string }) =>
      renderDocument(id, { ...options, format: 'pdf' }, 'pdf'),
    );

  proposal
    .command('contract <id>')
    .description('generate the renewal agreement from the sent proposal and open a signature request')
    .requiredOption('--as <user>', 'the user acting')
    .option('--at <instant>', 'when (ISO 8601 with offset; default now)')
    .option('-o, --output <file>', 'also write the agreement PDF here')
    .option('--signer-name <name>', 'the signer (default: the first contact with an email)')
    .option('--signer-email <email>', "the signer's email")
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        options: {
          as: string;
          at?: string;
          output?: string;
          signerName?: string;
          signerEmail?: string;
          json?: boolean;
        },
      ) => {
        const ctx = context();
        if ((options.signerName === undefined) !== (options.signerEmail === undefined)) {
          throw new CliUsageError('--signer-name and --signer-email go together');
        }
        const contract = await withStore(ctx, (store) =>
          generateRenewalContract({
            store,
            tenantId: ctx.config.tenant,
            proposalId: idArgument(id),
            actorId: options.as,
            at: instantOption(options.at),
            ...(options.signerName && options.signerEmail
              ? { signer: { name: options.signerName, email: options.signerEmail } }
              : {}),
          }),
        );
        if (options.output) await writeFile(options.output, contract.content);
        if (options.json) {
          const { content: _content, ...rest } = contract;
          ctx.out(JSON.stringify(rest, null, 2));
          return;
        }
        ctx.out(
          [
            `agreement for ${contract.newContractId} (document ${contract.documentId}, sha256 ${contract.sha256})${options.output ? ` written to ${options.output}` : ''}`,
            `signature request ${contract.signatureId} for ${contract.signer.name} <${contract.signer.email}>, valid until ${contract.expiresAt}`,
            `signing token (shown once): ${contract.token}`,
            `to sign: perennial proposal sign --token ${contract.token} --name "${contract.signer.name}"`,
          ].join('\n'),
        );
      },
    );

  proposal
    .command('sign')
    .description('sign a renewal agreement with its token: closes the renewal won and creates the next term')
    .requiredOption('--token <token>', 'the signing token')
    .requiredOption('--name <name>', 'the signer, as typed')
    .option('--at <instant>', 'when (ISO 8601 with offset; default now)')
    .option('--json', 'print JSON')
    .action(async (options: { token: string; name: string; at?: string; json?: boolean }) => {
      const ctx = context();
      const signed = await withStore(ctx, (store) =>
        signRenewalContract({
          store,
          tenantId: ctx.config.tenant,
          token: options.token,
          signerName: options.name,
          at: instantOption(options.at),
        }),
      );
      if (options.json) {
        ctx.out(
          JSON.stringify(
            { ...signed, renewedArr: formatMinor(signed.renewedArrMinor, signed.currency) },
            null,
            2,
          ),
        );
        return;
      }
      ctx.out(
        signed.alreadySigned
          ? `already signed on ${signed.closedOn}: nothing changed (next term ${signed.nextTerm.contractId})`
          : `signed: renewal ${signed.renewedContractId} closed won on ${signed.closedOn} (${signed.signedDaysEarly} days early); next term ${signed.nextTerm.contractId} ${signed.nextTerm.startDate} → ${signed.nextTerm.endDate}, ARR ${formatMinor(signed.renewedArrMinor, signed.currency)} ${signed.currency}`,
      );
    });

  proposal
    .command('decline')
    .description('decline a renewal agreement with its token: the renewal returns to negotiation')
    .requiredOption('--token <token>', 'the signing token')
    .requiredOption('--name <name>', 'who declines')
    .option('--reason <text>', 'why')
    .option('--at <instant>', 'when (ISO 8601 with offset; default now)')
    .action(async (options: { token: string; name: string; reason?: string; at?: string }) => {
      const ctx = context();
      const declined = await withStore(ctx, (store) =>
        declineRenewalContract({
          store,
          tenantId: ctx.config.tenant,
          token: options.token,
          signerName: options.name,
          at: instantOption(options.at),
          ...(options.reason ? { reason: options.reason } : {}),
        }),
      );
      ctx.out(
        declined.alreadyDeclined
          ? `already declined: nothing changed (proposal ${declined.proposalId})`
          : `declined: proposal ${declined.proposalId} is declined; the renewal is back in negotiation`,
      );
    });
}
