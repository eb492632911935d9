/**
 * The policy editor: a form over the main sections (health bands and weights, segment thresholds,
 * early renewal and its discount bands, approval authority, effort budgets) and the whole document as
 * JSON or YAML. The server checks the document exactly as it stores it: its errors and warnings carry
 * dotted paths and are shown beside the field they concern. "Preview impact" says in words what the
 * change would do to the book before anyone saves; Save sends the version edited (If-Match) and says
 * clearly when someone else saved first.
 */
import {
  Alert,
  Button,
  Group,
  List,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { ApiProblem, api, call, type Schemas } from '../api/client.ts';
import { policyQuery, workspaceQuery } from '../api/queries.ts';
import { RoomLink } from '../components/renewal-list.tsx';
import { ProblemAlert, QueryView, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

type Doc = Record<string, unknown>;
type Path = readonly (string | number)[];
type Issue = { path: string; message: string };
type Preview = Schemas['PolicyPreview'];

const WEIGHTS = [
  'usage_trend',
  'license_adoption',
  'feature_adoption',
  'support',
  'sentiment',
  'relationship',
  'contact_recency',
  'risk_signals',
] as const;
const SEGMENTS = ['enterprise', 'mid_market', 'smb'] as const;
/** The discount columns of an early-renewal rung (percent in the editor, basis points in the policy). */
const RUNG_LABELS = {
  minBps: 'policy.rung.min',
  defaultBps: 'policy.rung.default',
  maxBps: 'policy.rung.max',
} as const satisfies Record<string, MessageKey>;

/** Message colours with AA contrast on white (Mantine's default error red and orange fall short). */
const ERROR_COLOR = 'var(--mantine-color-red-9)';
const WARNING_COLOR = '#8a3a00';

function getAt(doc: unknown, path: Path): unknown {
  let value: unknown = doc;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function setAt(doc: unknown, path: Path, value: unknown): Doc {
  const [key, ...rest] = path;
  if (key === undefined) return value as Doc;
  const container = Array.isArray(doc) ? [...doc] : { ...((doc ?? {}) as Doc) };
  (container as Record<string | number, unknown>)[key] = setAt(
    (container as Record<string | number, unknown>)[key],
    rest,
    value,
  );
  return container as Doc;
}

const dotted = (path: Path) => path.map(String).join('.');

/** Digits after the decimal point of a currency (JPY 0, USD 2). */
function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

type EditorState = {
  doc: Doc;
  set: (path: Path, value: unknown) => void;
  errors: readonly Issue[];
  warnings: readonly Issue[];
};
const EditorContext = createContext<EditorState | null>(null);
const useEditor = () => {
  const editor = useContext(EditorContext);
  if (!editor) throw new Error('useEditor outside the policy editor');
  return editor;
};

/** The checker's messages for one path, as an input's `error` (errors) and `description` (warnings). */
function useIssues(path: string): { error: string | undefined; warning: string | undefined } {
  const { errors, warnings } = useEditor();
  const at = (issues: readonly Issue[]) =>
    issues
      .filter((issue) => issue.path === path)
      .map((issue) => issue.message)
      .join('; ') || undefined;
  return { error: at(errors), warning: at(warnings) };
}

/** Messages about a group of fields (a refinement on the object, such as "weights must sum to 100"). */
function GroupIssues({ path }: { path: string }) {
  const { error, warning } = useIssues(path);
  if (!error && !warning) return null;
  return (
    <Text
      size="sm"
      c={error ? ERROR_COLOR : WARNING_COLOR}
      role={error ? 'alert' : undefined}
      data-issue-path={path}
    >
      {error ?? warning}
    </Text>
  );
}

/**
 * A number at a path. `scale` shows stored units divided by it (basis points as %, minor units as
 * major); `nullable` lets an empty field mean null (no limit).
 */
function NumberField({
  path,
  label,
  scale = 1,
  min,
  max,
  step,
  nullable = false,
  description,
}: {
  path: Path;
  label: string;
  scale?: number;
  min?: number;
  max?: number;
  step?: number;
  nullable?: boolean;
  description?: string;
}) {
  const { doc, set } = useEditor();
  const { error, warning } = useIssues(dotted(path));
  const stored = getAt(doc, path);
  const value = typeof stored === 'number' ? stored / scale : stored === null ? '' : '';
  return (
    <NumberInput
      label={label}
      value={value}
      min={min}
      max={max}
      step={step}
      decimalScale={scale === 1 ? 2 : Math.max(0, Math.round(Math.log10(scale)))}
      error={error}
      description={warning ?? description}
      styles={{
        error: { color: ERROR_COLOR },
        ...(warning ? { description: { color: WARNING_COLOR } } : {}),
      }}
      data-path={dotted(path)}
      onChange={(next) => {
        if (next === '' || next === undefined) {
          if (nullable) set(path, null);
          return;
        }
        const number = typeof next === 'number' ? next : Number(next);
        if (Number.isFinite(number)) set(path, scale === 1 ? number : Math.round(number * scale));
      }}
    />
  );
}

function PreviewSummary({ preview }: { preview: Preview }) {
  const { t, number, date } = useI18n();
  const band = (value: string) => t(`band.${value}.word` as MessageKey);
  const segment = (value: string) => t(`segment.${value}` as MessageKey);
  const category = (value: string) => t(`category.${value}` as MessageKey);
  const lines: { key: string; text: string; examples: Preview['healthMoves'][number]['examples'] }[] = [];
  for (const move of preview.healthMoves) {
    lines.push({
      key: `health:${move.from}:${move.to}`,
      text: t('preview.healthMove', { count: number(move.count), from: band(move.from), to: band(move.to) }),
      examples: move.examples,
    });
  }
  if (preview.healthMoves.length === 0)
    lines.push({ key: 'health:none', text: t('preview.noHealthMove'), examples: [] });
  for (const move of preview.segmentMoves) {
    lines.push({
      key: `segment:${move.from}:${move.to}`,
      text: t('preview.segmentMove', {
        count: number(move.count),
        from: segment(move.from),
        to: segment(move.to),
      }),
      examples: move.examples,
    });
  }
  for (const move of preview.forecastMoves) {
    lines.push({
      key: `forecast:${move.from}:${move.to}`,
      text: t('preview.forecastMove', {
        count: number(move.count),
        from: category(move.from),
        to: category(move.to),
      }),
      examples: move.examples,
    });
  }
  const flips: [string, MessageKey, Preview['earlyRenewal']['gained']][] = [
    ['early:gained', 'preview.earlyGained', preview.earlyRenewal.gained],
    ['early:lost', 'preview.earlyLost', preview.earlyRenewal.lost],
    ['risk:gained', 'preview.atRiskGained', preview.atRisk.gained],
    ['risk:lost', 'preview.atRiskLost', preview.atRisk.lost],
  ];
  for (const [key, message, flip] of flips) {
    if (flip.count > 0)
      lines.push({ key, text: t(message, { count: number(flip.count) }), examples: flip.examples });
  }
  return (
    <Section title={t('preview.title')} id="policy-preview">
      <Stack gap="sm" data-testid="policy-preview">
        <Text size="sm" c="dimmed">
          {t('preview.scope', {
            accounts: number(preview.accounts),
            renewals: number(preview.openRenewals),
            date: date(preview.asOf),
          })}
        </Text>
        {lines.map((line) => (
          <div key={line.key}>
            <Text fw={600} data-testid="preview-sentence">
              {line.text}
            </Text>
            {line.examples.length > 0 ? (
              <Text size="sm" c="dimmed" component="div">
                {t('preview.examples')}:{' '}
                {line.examples.map((example, index) => (
                  <span key={`${example.accountId}:${example.contractId ?? ''}`}>
                    {index > 0 ? ', ' : ''}
                    {example.contractId ? (
                      <RoomLink contractId={example.contractId} size="sm">
                        {example.accountName}
                      </RoomLink>
                    ) : (
                      example.accountName
                    )}{' '}
                    ({t('preview.scoreChange', { before: example.scoreBefore, after: example.scoreAfter })})
                  </span>
                ))}
              </Text>
            ) : null}
          </div>
        ))}
      </Stack>
    </Section>
  );
}

function RawDocument({ doc, onApply }: { doc: Doc; onApply: (doc: Doc) => void }) {
  const { t } = useI18n();
  const [format, setFormat] = useState<'json' | 'yaml'>('json');
  const rendered = useMemo(
    () => (format === 'json' ? JSON.stringify(doc, null, 2) : toYaml(doc)),
    [doc, format],
  );
  const [text, setText] = useState(rendered);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText(rendered);
    setProblem(null);
  }, [rendered]);
  const apply = () => {
    try {
      const parsed: unknown = format === 'json' ? JSON.parse(text) : parseYaml(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('expected an object');
      setProblem(null);
      onApply(parsed as Doc);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <Section
      title={t('policy.raw')}
      id="policy-raw"
      actions={
        <SegmentedControl
          size="xs"
          value={format}
          onChange={(value) => setFormat(value as 'json' | 'yaml')}
          data={[
            { value: 'json', label: 'JSON' },
            { value: 'yaml', label: 'YAML' },
          ]}
          aria-label={t('policy.raw')}
        />
      }
    >
      <Stack gap="xs">
        <Textarea
          aria-label={t('policy.raw.label', { format: format.toUpperCase() })}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          autosize
          minRows={8}
          maxRows={24}
          spellCheck={false}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
          error={problem ? t('policy.raw.invalid', { message: problem }) : undefined}
        />
        <Group>
          <Button variant="default" onClick={apply} disabled={text === rendered}>
            {t('policy.raw.apply')}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}

function PolicyForm({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const { data: workspace } = useQuery(workspaceQuery);
  const currency =
    typeof doc.reportingCurrency === 'string'
      ? doc.reportingCurrency
      : (workspace?.reportingCurrency ?? 'USD');
  const moneyScale = 10 ** minorDigits(currency);
  const weightSum = WEIGHTS.reduce((sum, factor) => {
    const value = getAt(doc, ['health', 'weights', factor]);
    return sum + (typeof value === 'number' ? value : 0);
  }, 0);
  /** Approval roles that are also user roles have a name; sales_leadership reads as words. */
  const roleName = (role: string) => {
    const key = `role.${role}` as MessageKey;
    const name = t(key);
    return name === key ? role.replace(/_/g, ' ') : name;
  };
  const rungs = (getAt(doc, ['pricing', 'earlyRenewal', 'rungs']) as unknown[] | undefined) ?? [];
  const authority =
    (getAt(doc, ['pricing', 'approvals', 'discountAuthority']) as { role: string }[] | undefined) ?? [];
  return (
    <Stack gap="md">
      <Section title={t('policy.health')} id="policy-health">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} maw={520}>
            <NumberField
              path={['health', 'bands', 'greenMin']}
              label={t('policy.greenMin')}
              min={0}
              max={100}
            />
            <NumberField
              path={['health', 'bands', 'redBelow']}
              label={t('policy.redBelow')}
              min={0}
              max={100}
            />
          </SimpleGrid>
          <GroupIssues path="health.bands" />
          <Text fw={600} size="sm">
            {t('policy.weights')} · {t('policy.weightsSum', { sum: weightSum })}
          </Text>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            {WEIGHTS.map((factor) => (
              <NumberField
                key={factor}
                path={['health', 'weights', factor]}
                label={t(`policy.weight.${factor}` as MessageKey)}
                min={0}
                max={100}
              />
            ))}
          </SimpleGrid>
          <GroupIssues path="health.weights" />
        </Stack>
      </Section>
      <Section title={t('policy.segments', { currency })} id="policy-segments">
        <SimpleGrid cols={{ base: 1, sm: 2 }} maw={520}>
          <NumberField
            path={['segments', 'enterpriseMinArrMinor']}
            label={t('policy.enterpriseMin')}
            scale={moneyScale}
            min={0}
          />
          <NumberField
            path={['segments', 'midMarketMinArrMinor']}
            label={t('policy.midMarketMin')}
            scale={moneyScale}
            min={0}
          />
        </SimpleGrid>
        <GroupIssues path="segments" />
      </Section>
      <Section title={t('policy.early')} id="policy-early">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <NumberField
              path={['earlyRenewal', 'minHealth']}
              label={t('policy.early.minHealth')}
              min={0}
              max={100}
            />
            <NumberField
              path={['earlyRenewal', 'minSeatAdoptionPct']}
              label={t('policy.early.minSeatAdoption')}
              min={0}
              max={100}
            />
            <NumberField
              path={['earlyRenewal', 'minMonthsEarly']}
              label={t('policy.early.minMonths')}
              min={0}
            />
            <NumberField
              path={['earlyRenewal', 'maxMonthsEarly']}
              label={t('policy.early.maxMonths')}
              min={0}
            />
          </SimpleGrid>
          <GroupIssues path="earlyRenewal" />
          <Text fw={600} size="sm">
            {t('policy.rungs')}
          </Text>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={4}>
              <Table.Tbody>
                {rungs.map((_, index) => {
                  const band = t('policy.rung.label', { n: index + 1 });
                  const base = ['pricing', 'earlyRenewal', 'rungs', index];
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: rungs have no identity but their order
                    <Table.Tr key={index}>
                      <Table.Th scope="row">{band}</Table.Th>
                      <Table.Td>
                        <NumberField
                          path={[...base, 'fromMonths']}
                          label={`${band}: ${t('policy.rung.from')}`}
                          min={0}
                        />
                      </Table.Td>
                      {(['minBps', 'defaultBps', 'maxBps'] as const).map((field) => (
                        <Table.Td key={field}>
                          <NumberField
                            path={[...base, field]}
                            label={`${band}: ${t(RUNG_LABELS[field])}`}
                            scale={100}
                            min={0}
                            max={100}
                          />
                        </Table.Td>
                      ))}
                      <Table.Td>
                        <GroupIssues path={dotted(base)} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <GroupIssues path="pricing.earlyRenewal.rungs" />
        </Stack>
      </Section>
      <Section title={t('policy.authority')} id="policy-authority">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          {authority.map((tier, index) => (
            <NumberField
              key={tier.role}
              path={['pricing', 'approvals', 'discountAuthority', index, 'maxDiscountBps']}
              label={t('policy.authority.max', { role: roleName(tier.role) })}
              description={t('policy.authority.noLimit')}
              scale={100}
              min={0}
              max={100}
              nullable
            />
          ))}
        </SimpleGrid>
        <GroupIssues path="pricing.approvals.discountAuthority" />
      </Section>
      <Section title={t('policy.effort')} id="policy-effort">
        <SimpleGrid cols={{ base: 2, md: 6 }}>
          {SEGMENTS.map((segment) => {
            const name = t(`segment.${segment}` as MessageKey);
            return [
              <NumberField
                key={`${segment}:min`}
                path={['effortBudgets', segment, 'minHours']}
                label={t('policy.effort.min', { segment: name })}
                min={0}
                step={0.5}
              />,
              <NumberField
                key={`${segment}:max`}
                path={['effortBudgets', segment, 'maxHours']}
                label={t('policy.effort.max', { segment: name })}
                min={0}
                step={0.5}
              />,
            ];
          })}
        </SimpleGrid>
        {SEGMENTS.map((segment) => (
          <GroupIssues key={segment} path={`effortBudgets.${segment}`} />
        ))}
      </Section>
    </Stack>
  );
}

function IssueList({ title, issues, color }: { title: string; issues: readonly Issue[]; color: string }) {
  if (issues.length === 0) return null;
  return (
    <Alert
      variant="outline"
      color={color}
      title={title}
      role={color === 'red.9' ? 'alert' : 'status'}
      styles={{ title: { color: color === 'red.9' ? ERROR_COLOR : WARNING_COLOR } }}
    >
      <List size="sm" spacing={2}>
        {issues.map((issue) => (
          <List.Item key={`${issue.path}:${issue.message}`}>
            <code>{issue.path || '(root)'}</code>: {issue.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

export function SettingsPolicyPage() {
  const queryClient = useQueryClient();
  const policy = useQuery(policyQuery);
  // A reload starts the editor afresh from the version in force (after a conflict).
  const [generation, setGeneration] = useState(0);
  const reload = async () => {
    await queryClient.refetchQueries({ queryKey: policyQuery.queryKey });
    setGeneration((current) => current + 1);
  };
  return (
    <QueryView query={policy}>
      {(data) => <PolicyEditor key={generation} stored={data} onReload={() => void reload()} />}
    </QueryView>
  );
}

function PolicyEditor({ stored, onReload }: { stored: Schemas['PolicyInForce']; onReload: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const { data: workspace } = useQuery(workspaceQuery);
  const mayStore = workspace?.user.role === 'admin';
  const [doc, setDoc] = useState<Doc>(() => structuredClone(stored.policy));
  const [errors, setErrors] = useState<Issue[]>([]);
  const [warnings, setWarnings] = useState<Issue[]>(stored.warnings);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [conflict, setConflict] = useState<number | null>(null);
  const dirty = useMemo(() => JSON.stringify(doc) !== JSON.stringify(stored.policy), [doc, stored.policy]);

  const editor = useMemo<EditorState>(
    () => ({
      doc,
      set: (path, value) => {
        setDoc((current) => setAt(current, path, value));
        setPreview(null);
      },
      errors,
      warnings,
    }),
    [doc, errors, warnings],
  );

  /** A 422 fills the field messages; anything else is thrown on to the mutation's error. */
  const takeProblem = (error: unknown) => {
    if (error instanceof ApiProblem && error.status === 422 && Array.isArray(error.detail.errors)) {
      setErrors(error.detail.errors as Issue[]);
      setWarnings((error.detail.warnings as Issue[] | undefined) ?? []);
      return true;
    }
    return false;
  };

  const runPreview = useMutation({
    mutationFn: () => call(api.POST('/api/v1/policy/preview', { body: doc })),
    onMutate: () => setPreview(null),
    onSuccess: (result) => {
      setErrors([]);
      setWarnings(result.warnings);
      setPreview(result);
    },
    onError: takeProblem,
  });
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/v1/policy', {
          params: { header: { 'if-match': `"${stored.version}"` } },
          body: doc,
        }),
      ),
    onMutate: () => setConflict(null),
    onSuccess: (result) => {
      setErrors([]);
      setWarnings(result.warnings);
      setDoc(structuredClone(result.policy));
      queryClient.setQueryData(policyQuery.queryKey, result);
    },
    onError: (error) => {
      if (error instanceof ApiProblem && error.status === 409) {
        setConflict(
          typeof error.detail.currentVersion === 'number' ? error.detail.currentVersion : stored.version + 1,
        );
        return;
      }
      takeProblem(error);
    },
  });
  const otherError = (mutation: { error: unknown }) =>
    mutation.error && !(mutation.error instanceof ApiProblem && [409, 422].includes(mutation.error.status))
      ? mutation.error
      : null;

  return (
    <EditorContext.Provider value={editor}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Text fw={700} size="lg" component="h2" m={0}>
              {t('policy.title')}
            </Text>
            <Text size="sm" c="dimmed">
              {stored.version === 0
                ? t('policy.versionDefault')
                : t('policy.version', { version: stored.version })}
              {dirty ? ` · ${t('policy.unsaved')}` : ''}
            </Text>
          </div>
          <Group gap="xs">
            <Button variant="default" onClick={() => runPreview.mutate()} loading={runPreview.isPending}>
              {t('policy.preview')}
            </Button>
            {mayStore ? (
              <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!dirty}>
                {t('policy.save')}
              </Button>
            ) : null}
            <Button
              variant="default"
              disabled={!dirty}
              onClick={() => {
                setDoc(structuredClone(stored.policy));
                setErrors([]);
                setPreview(null);
              }}
            >
              {t('policy.reset')}
            </Button>
          </Group>
        </Group>
        {mayStore ? null : (
          <Alert variant="outline" color="gray.7">
            {t('policy.readOnly')}
          </Alert>
        )}
        {conflict !== null ? (
          <Alert variant="outline" color="orange.9" role="alert" data-testid="policy-conflict">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('policy.conflict', { version: conflict, yours: stored.version })}</Text>
              <Button size="xs" variant="light" onClick={onReload}>
                {t('policy.reload')}
              </Button>
            </Stack>
          </Alert>
        ) : null}
        {save.isSuccess && !dirty ? (
          <Alert variant="outline" color="brand" role="status">
            {t('policy.saved', { version: save.data.version })}
          </Alert>
        ) : null}
        <IssueList title={t('policy.errors', { count: errors.length })} issues={errors} color="red.9" />
        <IssueList title={t('policy.warnings')} issues={warnings} color="orange.9" />
        {otherError(runPreview) ? <ProblemAlert error={runPreview.error} /> : null}
        {otherError(save) ? <ProblemAlert error={save.error} /> : null}
        {preview ? <PreviewSummary preview={preview} /> : null}
        <PolicyForm doc={doc} />
        <RawDocument
          doc={doc}
          onApply={(next) => {
            setDoc(next);
            setPreview(null);
          }}
        />
      </Stack>
    </EditorContext.Provider>
  );
}
