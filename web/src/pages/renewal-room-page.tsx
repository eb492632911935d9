/** One renewal: plan and tasks, health and why, people, signals, proposal, notes, forecast call, close-out. */
import { LineChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { ApiProblem, api, call, type Proposal, type RenewalDetail, type Workspace } from '../api/client.ts';
import { renewalQuery } from '../api/page-queries.ts';
import { playbookQuery, usersQuery, workspaceQuery } from '../api/queries.ts';
import { ProposalBuilder } from '../components/proposal-builder.tsx';
import { TaskHours, TaskList } from '../components/task-list.tsx';
import {
  BandBadge,
  CategoryBadge,
  Empty,
  flagText,
  Loading,
  ProblemAlert,
  QueryView,
  RiskFlags,
  Section,
  Stat,
  useUserName,
} from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { daysBetween } from '../periods.ts';
import { KindBadge } from './playbook-page.tsx';

const CATEGORIES = ['commit', 'probable', 'upside', 'at_risk'] as const;

function useCanEdit(renewal: RenewalDetail | undefined, workspace: Workspace | undefined): boolean {
  const users = useQuery(usersQuery);
  if (!renewal || !workspace) return false;
  const me = workspace.user;
  const owners = [renewal.owner.userId, renewal.accountOwners.csm, renewal.accountOwners.sales].filter(
    Boolean,
  );
  if (me.role === 'admin') return true;
  if (['csm', 'sales', 'specialist'].includes(me.role)) return owners.includes(me.userId);
  if (me.role === 'manager') {
    if (owners.includes(me.userId)) return true;
    const managers = new Map((users.data?.items ?? []).map((user) => [user.userId, user.managerId]));
    return owners.some((owner) => owner && managers.get(owner) === me.userId);
  }
  return false;
}

/** Sends a PATCH with If-Match; a 409 says who changed it and reloads. */
function usePatchRenewal(contractId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, body }: { version: number; body: Record<string, unknown> }) =>
      call(
        api.PATCH('/api/v1/renewals/{contractId}', {
          params: { path: { contractId }, header: { 'if-match': `"${version}"` } },
          body,
        }),
      ),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['renewal', contractId] });
      void queryClient.invalidateQueries({ queryKey: ['renewals'] });
      void queryClient.invalidateQueries({ queryKey: ['forecast'] });
    },
  });
}

function MutationNotice({ mutation, ok }: { mutation: { error: unknown; isSuccess: boolean }; ok: string }) {
  if (mutation.error instanceof ApiProblem && mutation.error.status === 409) {
    return (
      <Alert color="orange" role="alert">
        {mutation.error.message}
      </Alert>
    );
  }
  if (mutation.error) return <ProblemAlert error={mutation.error} />;
  if (mutation.isSuccess)
    return (
      <Text size="sm" c="#1b6b2c" role="status">
        {ok}
      </Text>
    );
  return null;
}

function ForecastCall({ renewal, canEdit }: { renewal: RenewalDetail; canEdit: boolean }) {
  const { t, dateTime } = useI18n();
  const userName = useUserName();
  const patch = usePatchRenewal(renewal.contractId);
  const [category, setCategory] = useState<string | null>(renewal.forecast.csmCategory);
  const [note, setNote] = useState(renewal.forecast.csmNote ?? '');
  return (
    <Stack gap="xs">
      <SimpleGrid cols={2}>
        <div>
          <Text size="xs" c="dimmed">
            {t('room.modelCall')}
          </Text>
          <CategoryBadge category={renewal.forecast.modelCategory} />
          <Text size="xs" c="dimmed" mt={2}>
            {t('common.probability')}:{' '}
            {renewal.probability === null ? '–' : `${Math.round(renewal.probability * 100)}%`}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('room.csmCall')}
          </Text>
          <CategoryBadge category={renewal.forecast.csmCategory} />
          {renewal.forecast.csmCategoryBy ? (
            <Text size="xs" c="dimmed" mt={2}>
              {userName(renewal.forecast.csmCategoryBy)} · {dateTime(renewal.forecast.csmCategoryAt)}
            </Text>
          ) : null}
        </div>
      </SimpleGrid>
      {canEdit && renewal.outcome === 'pending' ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            patch.mutate({
              version: renewal.version,
              body: { csmCategory: category, csmNote: note.trim() || null },
            });
          }}
        >
          <Stack gap="xs">
            <Select
              label={t('room.csmCall')}
              data={CATEGORIES.map((value) => ({ value, label: t(`category.${value}`) }))}
              value={category}
              onChange={setCategory}
              clearable
            />
            <TextInput
              label={t('room.notes')}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
            <Group>
              <Button type="submit" size="xs" loading={patch.isPending}>
                {t('common.save')}
              </Button>
            </Group>
            <MutationNotice mutation={patch} ok={t('room.saved')} />
          </Stack>
        </form>
      ) : null}
    </Stack>
  );
}

function CloseOut({ renewal, today }: { renewal: RenewalDetail; today: string }) {
  const { t } = useI18n();
  const patch = usePatchRenewal(renewal.contractId);
  const [outcome, setOutcome] = useState<string | null>(
    renewal.outcome === 'pending' ? null : renewal.outcome,
  );
  const [reasons, setReasons] = useState<string[]>(renewal.reasons);
  const [competitor, setCompetitor] = useState(renewal.competitor ?? '');
  const [closedOn, setClosedOn] = useState(renewal.closedOn ?? today);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!outcome) return;
    patch.mutate({
      version: renewal.version,
      body: {
        outcome,
        closedOn,
        reasons,
        competitor: competitor.trim() || null,
        ...(outcome === 'won' ? { stage: 'closed_won' } : { stage: 'closed_lost' }),
      },
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <Select
          label={t('room.outcome')}
          data={[
            { value: 'won', label: t('room.won') },
            { value: 'lost', label: t('room.lost') },
          ]}
          value={outcome}
          onChange={setOutcome}
          required
        />
        <TagsInput
          label={t('room.reasons')}
          value={reasons}
          onChange={setReasons}
          data={[
            'price',
            'budget',
            'product gaps',
            'champion left',
            'competitor',
            'low adoption',
            'value proven',
            'exec sponsor engaged',
          ]}
        />
        <TextInput
          label={t('room.competitor')}
          value={competitor}
          onChange={(event) => setCompetitor(event.currentTarget.value)}
        />
        <TextInput
          label={t('room.closedOn')}
          type="date"
          value={closedOn}
          onChange={(event) => setClosedOn(event.currentTarget.value)}
        />
        <Group>
          <Button type="submit" size="xs" loading={patch.isPending} disabled={!outcome}>
            {t('room.closeOut')}
          </Button>
        </Group>
        <MutationNotice mutation={patch} ok={t('room.saved')} />
      </Stack>
    </form>
  );
}

function Notes({ contractId, canEdit }: { contractId: string; canEdit: boolean }) {
  const { t, dateTime } = useI18n();
  const userName = useUserName();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const notes = useQuery({
    queryKey: ['notes', contractId],
    queryFn: () =>
      call(
        api.GET('/api/v1/renewals/{contractId}/notes', {
          params: { path: { contractId }, query: { limit: 20 } },
        }),
      ),
  });
  const add = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/renewals/{contractId}/notes', {
          params: { path: { contractId } },
          body: { text: text.trim() },
        }),
      ),
    onSuccess: () => setText(''),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['notes', contractId] }),
  });
  return (
    <Stack gap="xs">
      {canEdit ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (text.trim()) add.mutate();
          }}
        >
          <Group align="flex-end">
            <Textarea
              style={{ flex: 1 }}
              label={t('room.addNote')}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              autosize
              minRows={1}
            />
            <Button type="submit" size="sm" loading={add.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </form>
      ) : null}
      <QueryView query={notes}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('common.none')}</Empty>
          ) : (
            page.items.map((note) => (
              <div key={note.id}>
                <Text size="xs" c="dimmed">
                  {userName(note.author)} · {dateTime(note.at)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {note.text}
                </Text>
              </div>
            ))
          )
        }
      </QueryView>
    </Stack>
  );
}

/** The playbook entries for where this renewal is on its timeline: the current and the next milestone. */
function RenewalPlaybook({
  milestones,
  today,
}: {
  milestones: readonly { key: string; date: string }[];
  today: string;
}) {
  const { t, date, locale } = useI18n();
  const library = useQuery(playbookQuery());
  const current = [...milestones].reverse().find((milestone) => milestone.date <= today) ?? null;
  const next = milestones.find((milestone) => milestone.date > today) ?? null;
  const languages = new Set(['en', locale]);
  const stops = [
    current ? { key: current.key, label: t('room.playbookNow', { milestone: current.key }) } : null,
    next
      ? { key: next.key, label: t('room.playbookNext', { milestone: next.key, date: date(next.date) }) }
      : null,
  ].filter((stop) => stop !== null);
  if (stops.length === 0) return <Empty>{t('common.none')}</Empty>;
  return (
    <QueryView query={library}>
      {(data) =>
        stops.map((stop) => {
          const entries = data.items.filter(
            (entry) => entry.milestone === stop.key && languages.has(entry.language),
          );
          return (
            <div key={stop.key} data-testid={`room-playbook-${stop.key}`}>
              <Text size="sm" fw={700}>
                {stop.label}
              </Text>
              {entries.length === 0 ? (
                <Empty>{t('room.playbookNone')}</Empty>
              ) : (
                <List size="sm" spacing={4} listStyleType="none" ml={0} pl={0}>
                  {entries.map((entry) => (
                    <List.Item key={entry.id}>
                      <Group gap={6} wrap="nowrap">
                        <KindBadge kind={entry.kind} />
                        <Anchor
                          renderRoot={(props) => (
                            <Link {...props} to="/playbook" search={{ milestone: stop.key }} />
                          )}
                          size="sm"
                          c="teal.9"
                          lang={entry.language}
                        >
                          {entry.title}
                        </Anchor>
                        {entry.edited ? (
                          <Badge color="yellow.4" autoContrast size="xs">
                            {t('playbook.edited')}
                          </Badge>
                        ) : null}
                      </Group>
                    </List.Item>
                  ))}
                </List>
              )}
              <Anchor
                renderRoot={(props) => <Link {...props} to="/playbook" search={{ milestone: stop.key }} />}
                size="xs"
                c="teal.9"
              >
                {t('room.playbookAll', { milestone: stop.key })} →
              </Anchor>
            </div>
          );
        })
      }
    </QueryView>
  );
}

type Signer = Proposal['signatures'][number];

const SIGNER_COLOR: Record<Signer['status'], string> = {
  sent: 'blue.8',
  viewed: 'violet.8',
  signed: 'teal.9',
  declined: 'red.9',
  expired: 'gray.7',
};

/** One signer: their status badge, and when the request was sent, viewed and completed (or lapses). */
function SignerRow({ signer }: { signer: Signer }) {
  const { t, dateTime } = useI18n();
  const open = signer.status === 'sent' || signer.status === 'viewed';
  const closedAt = signer.completedAt ?? (signer.status === 'expired' ? signer.expiresAt : null);
  const dates = [
    t('signature.sentAt', { date: dateTime(signer.sentAt) }),
    signer.viewedAt ? t('signature.viewedAt', { date: dateTime(signer.viewedAt) }) : null,
    open ? t('signature.validUntil', { date: dateTime(signer.expiresAt) }) : null,
    !open && closedAt ? t(`signature.${signer.status}At` as MessageKey, { date: dateTime(closedAt) }) : null,
  ].filter((text): text is string => text !== null);
  return (
    <li data-testid={`signer-${signer.id}`}>
      <Group gap="xs" wrap="nowrap" align="baseline">
        <Badge size="sm" color={SIGNER_COLOR[signer.status]} autoContrast style={{ flexShrink: 0 }}>
          {t(`signature.status.${signer.status}` as MessageKey)}
        </Badge>
        <div style={{ minWidth: 0 }}>
          <Text size="sm">
            <Text span fw={600}>
              {signer.signerName}
            </Text>{' '}
            <Text span c="dimmed">
              {signer.signerEmail}
            </Text>
          </Text>
          <Text size="xs" c="dimmed">
            {dates.join(' · ')}
          </Text>
        </div>
      </Group>
    </li>
  );
}

/**
 * Where the contract stands with the customer's signature, from the proposal: its status (sent,
 * signed, declined), then each signature request opened for it with the signer's own status — sent,
 * viewed, signed, declined, or expired (also when the link lapsed unsigned) — and its dates.
 */
function SignatureStatus({ contractId, today }: { contractId: string; today: string }) {
  const { t, dateTime } = useI18n();
  const proposal = useQuery({
    queryKey: ['proposal', contractId],
    queryFn: () =>
      call(api.GET('/api/v1/renewals/{contractId}/proposal', { params: { path: { contractId } } })),
  });
  return (
    <QueryView query={proposal}>
      {({ proposal: p }) => {
        if (!p) return <Empty>{t('signature.none')}</Empty>;
        const status = t(`status.${p.status}` as MessageKey);
        if (!['sent', 'signed', 'declined'].includes(p.status)) {
          return <Empty>{t('signature.notYet', { status })}</Empty>;
        }
        const color = p.status === 'signed' ? 'teal.9' : p.status === 'declined' ? 'red.9' : 'blue.8';
        const signers = p.signatures;
        // Waiting since the oldest request still open (before any request: since the proposal went out).
        const waitingSince =
          signers.length === 0
            ? p.sentAt
            : signers
                .filter((signer) => signer.status === 'sent' || signer.status === 'viewed')
                .map((signer) => signer.sentAt)
                .sort()[0];
        return (
          <Stack gap={4} data-testid="signature-status">
            <Group gap="xs">
              <Badge color={color} autoContrast>
                {status}
              </Badge>
              {signers.length === 0 && p.sentAt ? (
                <Text size="sm">{t('signature.sentOn', { date: dateTime(p.sentAt) })}</Text>
              ) : null}
            </Group>
            {signers.length > 0 ? (
              <Stack
                component="ul"
                gap={6}
                aria-label={t('signature.signers')}
                style={{ listStyle: 'none', margin: 0, padding: 0 }}
              >
                {signers.map((signer) => (
                  <SignerRow key={signer.id} signer={signer} />
                ))}
              </Stack>
            ) : null}
            {p.status === 'signed' && p.signedAt ? (
              <Text size="sm">{t('signature.signedOn', { date: dateTime(p.signedAt) })}</Text>
            ) : null}
            {p.status === 'sent' && waitingSince ? (
              <Text size="sm" c="dimmed">
                {t('signature.waiting', { days: Math.max(0, daysBetween(waitingSince.slice(0, 10), today)) })}
              </Text>
            ) : null}
            {p.status === 'declined' ? (
              <Text size="sm" c="red.9">
                {t('signature.declined')}
              </Text>
            ) : null}
          </Stack>
        );
      }}
    </QueryView>
  );
}

export function RenewalRoomPage() {
  const { contractId } = useParams({ from: '/app/renewals/$contractId' });
  const { t, date, money, number } = useI18n();
  const workspace = useQuery(workspaceQuery);
  const today = workspace.data?.today ?? new Date().toISOString().slice(0, 10);
  const renewal = useQuery(renewalQuery(contractId));
  const insight = useQuery({
    queryKey: ['insight', contractId],
    queryFn: () =>
      call(api.GET('/api/v1/renewals/{contractId}/insight', { params: { path: { contractId } } })),
  });
  const accountId = renewal.data?.accountId;
  const history = useQuery({
    queryKey: ['health', accountId],
    enabled: Boolean(accountId),
    queryFn: () =>
      call(
        api.GET('/api/v1/accounts/{accountId}/health', {
          params: { path: { accountId: accountId ?? '' }, query: { limit: 180 } },
        }),
      ),
  });
  const canEdit = useCanEdit(renewal.data, workspace.data);
  const userName = useUserName();

  if (renewal.error) return <ProblemAlert error={renewal.error} />;
  if (!renewal.data) return <Loading />;
  const r = renewal.data;
  const tasksByMilestone = new Map<string, typeof r.tasks>();
  for (const task of r.tasks)
    tasksByMilestone.set(task.milestone, [...(tasksByMilestone.get(task.milestone) ?? []), task]);
  const openTasks = r.tasks.filter((task) => task.status === 'open');
  const historyData = [...(history.data?.items ?? [])]
    .reverse()
    .map((point) => ({ date: date(point.asOf), score: point.score }));

  return (
    <Stack gap="md">
      <div>
        <Anchor component={Link} to="/pipeline" size="sm" c="teal.9">
          ← {t('nav.pipeline')}
        </Anchor>
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={1}>{r.accountName}</Title>
            <Group gap="xs" mt={4}>
              <BandBadge band={r.health.band} score={r.health.score} />
              <CategoryBadge category={r.forecast.category} />
              <Badge color="gray.8" variant="outline">
                {r.stage ? r.stage.replace(/_/g, ' ') : t('common.noStage')}
              </Badge>
              {r.segment ? (
                <Badge color="gray.8" variant="outline">
                  {t(`segment.${r.segment}` as MessageKey)}
                </Badge>
              ) : null}
            </Group>
          </div>
          <SimpleGrid cols={3} spacing="xs">
            <Stat
              label={t('common.due')}
              value={date(r.dueDate)}
              hint={t('room.daysLeft', { days: daysBetween(today, r.dueDate) })}
            />
            <Stat label={t('common.arr')} value={money(r.arr.amount, r.arr.currency)} />
            <Stat
              label={t('common.owner')}
              value={userName(r.owner.userId)}
              hint={r.owner.role ? t(`role.${r.owner.role}` as MessageKey) : undefined}
            />
          </SimpleGrid>
        </Group>
      </div>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Section title={t('room.timeline')} id="timeline">
              {openTasks.length > 0 ? (
                <TaskList tasks={openTasks} today={today} empty="" showRenewal={false} />
              ) : null}
              <QueryView query={insight}>
                {(data) =>
                  data.renewal ? (
                    <Timeline
                      active={data.renewal.milestones.filter((m) => m.date <= today).length - 1}
                      bulletSize={18}
                      lineWidth={2}
                      mt="sm"
                    >
                      {data.renewal.milestones.map((milestone) => {
                        const tasks = tasksByMilestone.get(milestone.key) ?? [];
                        return (
                          <Timeline.Item
                            key={milestone.key}
                            title={
                              <Group gap={6}>
                                <Text fw={700} size="sm">
                                  {milestone.key}
                                </Text>
                                <Text size="sm" c="dimmed">
                                  {date(milestone.date)}
                                </Text>
                              </Group>
                            }
                          >
                            {tasks.length > 0
                              ? tasks.map((task) => {
                                  const overdue = task.status === 'open' && task.dueDate < today;
                                  return (
                                    <Group key={task.id} gap={6} wrap="nowrap">
                                      <Badge
                                        size="xs"
                                        color={
                                          task.status === 'done'
                                            ? '#1b6b2c'
                                            : overdue
                                              ? 'red.9'
                                              : task.status === 'skipped'
                                                ? 'gray.7'
                                                : 'blue.8'
                                        }
                                        autoContrast
                                      >
                                        {task.status === 'done'
                                          ? t('task.done')
                                          : overdue
                                            ? t('task.overdue')
                                            : task.status}
                                      </Badge>
                                      <Text size="sm">{task.title}</Text>
                                      {task.status === 'done' ? <TaskHours task={task} /> : null}
                                    </Group>
                                  );
                                })
                              : milestone.tasks.map((task) => (
                                  <Text key={task.title} size="sm" c="dimmed">
                                    {task.title}
                                  </Text>
                                ))}
                          </Timeline.Item>
                        );
                      })}
                    </Timeline>
                  ) : (
                    <Empty>{t('common.none')}</Empty>
                  )
                }
              </QueryView>
            </Section>
            <Section title={t('room.playbook')} id="playbook">
              <QueryView query={insight}>
                {(data) =>
                  data.renewal ? (
                    <RenewalPlaybook milestones={data.renewal.milestones} today={today} />
                  ) : (
                    <Empty>{t('common.none')}</Empty>
                  )
                }
              </QueryView>
            </Section>
            <Section title={t('room.proposal')} id="proposal">
              <ProposalBuilder contractId={contractId} canEdit={canEdit} />
            </Section>
            <Section title={t('room.signature')} id="signature">
              <SignatureStatus contractId={contractId} today={today} />
            </Section>
            <Section title={t('room.notes')} id="notes">
              <Notes contractId={contractId} canEdit={canEdit} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Section title={t('room.health')} id="health">
              {historyData.length > 1 ? (
                <figure style={{ margin: 0 }}>
                  <Text component="figcaption" size="xs" c="dimmed">
                    {t('room.healthHistory')}
                  </Text>
                  <LineChart
                    h={160}
                    data={historyData}
                    dataKey="date"
                    series={[{ name: 'score', label: t('room.healthHistory'), color: 'teal.9' }]}
                    yAxisProps={{ domain: [0, 100] }}
                    curveType="monotone"
                    withDots={false}
                  />
                </figure>
              ) : null}
              <QueryView query={insight}>
                {(data) => (
                  <>
                    <Text size="sm" fw={700}>
                      {t('room.drivers')}
                    </Text>
                    <Table verticalSpacing={4}>
                      <Table.Tbody>
                        {[...data.health.drivers]
                          .sort((a, b) => a.impact - b.impact)
                          .map((driver) => (
                            <Table.Tr key={driver.factor}>
                              <Table.Td>
                                <Text size="sm" fw={600}>
                                  {flagText(driver.factor)}
                                </Text>
                                <Text size="xs" c="dimmed">
                                  {driver.detail}
                                </Text>
                              </Table.Td>
                              <Table.Td ta="right">
                                <Text size="sm" fw={700} c={driver.impact < 0 ? 'red.9' : '#1b6b2c'}>
                                  {driver.impact > 0 ? '+' : ''}
                                  {number(driver.impact, 1)}
                                </Text>
                              </Table.Td>
                            </Table.Tr>
                          ))}
                      </Table.Tbody>
                    </Table>
                    {data.health.toGreen.length > 0 ? (
                      <>
                        <Text size="sm" fw={700}>
                          {t('room.toGreen')}
                        </Text>
                        <List size="sm" spacing={2}>
                          {data.health.toGreen.map((step) => (
                            <List.Item key={step.factor}>
                              +{number(step.points, 1)} · {step.action}
                            </List.Item>
                          ))}
                        </List>
                      </>
                    ) : null}
                  </>
                )}
              </QueryView>
            </Section>
            <Section title={t('room.signals')} id="signals">
              <RiskFlags flags={r.riskFlags} />
              <QueryView query={insight}>
                {(data) => (
                  <List size="sm" spacing={2}>
                    {(data.renewal?.riskEvidence ?? []).map((evidence) => (
                      <List.Item key={evidence.flag}>
                        <Text span fw={600} size="sm">
                          {flagText(evidence.flag)}
                        </Text>
                        : {evidence.detail}
                      </List.Item>
                    ))}
                    {data.signals.map((signal) => (
                      <List.Item key={`${signal.date}-${signal.kind}`}>
                        {date(signal.date)} · {flagText(signal.kind)}
                        {signal.note ? ` — ${signal.note}` : ''}
                      </List.Item>
                    ))}
                  </List>
                )}
              </QueryView>
              {[...new Set(r.alerts.map((alert) => alert.message))].slice(0, 3).map((message) => (
                <Text key={message} size="xs" c="dimmed">
                  {message}
                </Text>
              ))}
            </Section>
            <Section title={t('room.stakeholders')} id="stakeholders">
              {r.stakeholders.length === 0 ? (
                <Empty>{t('common.none')}</Empty>
              ) : (
                <Table.ScrollContainer minWidth={420}>
                  <Table verticalSpacing={4}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('room.name')}</Table.Th>
                        <Table.Th>{t('room.role')}</Table.Th>
                        <Table.Th>{t('room.strength')}</Table.Th>
                        <Table.Th>{t('room.stance')}</Table.Th>
                        <Table.Th>{t('room.lastContact')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {r.stakeholders.map((person) => (
                        <Table.Tr key={person.stakeholderId} bg={person.leftOn ? 'red.0' : undefined}>
                          <Table.Td>
                            <Text size="sm" fw={600} td={person.leftOn ? 'line-through' : undefined}>
                              {person.name}
                            </Text>
                            {person.leftOn ? (
                              <Badge color="red.9" size="xs">
                                {t('room.departed', { date: date(person.leftOn) })}
                              </Badge>
                            ) : null}
                          </Table.Td>
                          <Table.Td>{flagText(person.role)}</Table.Td>
                          <Table.Td>{person.strength ?? '–'}</Table.Td>
                          <Table.Td>{person.stance ?? '–'}</Table.Td>
                          <Table.Td>{date(person.lastContactOn)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Section>
            <Section title={t('room.forecast')} id="forecast">
              <ForecastCall renewal={r} canEdit={canEdit} />
            </Section>
            <QueryView query={insight}>
              {(data) =>
                data.renewal ? (
                  <Section title={t('room.earlyFit')} id="early">
                    <Badge color={data.renewal.earlyRenewal.qualified ? '#1b6b2c' : 'gray.7'}>
                      {data.renewal.earlyRenewal.qualified ? t('room.qualified') : t('room.notQualified')}
                    </Badge>
                    <List size="sm" spacing={2} mt={4}>
                      {data.renewal.earlyRenewal.details.map((detail) => (
                        <List.Item key={detail}>{detail}</List.Item>
                      ))}
                    </List>
                  </Section>
                ) : null
              }
            </QueryView>
            {canEdit ? (
              <Section title={t('room.closeOut')} id="close-out">
                <CloseOut renewal={r} today={today} />
              </Section>
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
