/** A manager's morning: the team forecast, where risk sits, what stalls, who is behind, what waits for approval. */
import { DonutChart } from '@mantine/charts';
import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, api, call, type Workspace } from '../api/client.ts';
import { teamAttentionQuery } from '../api/page-queries.ts';
import { approvalsQuery, forecastQuery, metricsQuery } from '../api/queries.ts';
import { CategoryTable } from '../components/charts.tsx';
import { RenewalLink, RoomLink } from '../components/renewal-list.tsx';
import { BandBadge, Empty, flagText, ProblemAlert, QueryView, Section, Stat } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { quarterOf } from '../periods.ts';

const BAND_CHART_COLORS: Record<string, string> = { green: '#1b6b2c', yellow: 'yellow.5', red: 'red.9' };

function Approvals() {
  const { t, money, percent } = useI18n();
  const queryClient = useQueryClient();
  const approvals = useQuery(approvalsQuery);
  const [comment, setComment] = useState<Record<string, string>>({});
  const [done, setDone] = useState<{ contractId: string; accountName: string } | null>(null);
  const decide = useMutation({
    mutationFn: ({
      contractId,
      sequence,
      action,
    }: {
      contractId: string;
      sequence: number;
      action: 'approve' | 'reject';
    }) =>
      call(
        api.POST(
          action === 'approve'
            ? '/api/v1/renewals/{contractId}/proposal/approve'
            : '/api/v1/renewals/{contractId}/proposal/reject',
          {
            params: { path: { contractId } },
            body: {
              sequence,
              ...(comment[contractId]?.trim() ? { comment: comment[contractId]!.trim() } : {}),
            },
          },
        ),
      ),
    onSuccess: (proposal) => setDone({ contractId: proposal.contractId, accountName: proposal.accountName }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['approvals'] });
      void queryClient.invalidateQueries({ queryKey: ['proposal'] });
    },
  });
  return (
    <Section title={t('manager.approvals')} id="approvals">
      {done ? (
        <Alert color="green" role="status">
          {t('manager.approved', { account: done.accountName })}{' '}
          <RoomLink contractId={done.contractId} size="sm" underline="always">
            {done.accountName}
          </RoomLink>
        </Alert>
      ) : null}
      {decide.error ? (
        decide.error instanceof ApiProblem && decide.error.status === 409 ? (
          <Alert color="orange" role="alert">
            {decide.error.message}
          </Alert>
        ) : (
          <ProblemAlert error={decide.error} />
        )
      ) : null}
      <QueryView query={approvals}>
        {(data) =>
          data.items.length === 0 ? (
            <Empty>{t('manager.noApprovals')}</Empty>
          ) : (
            data.items.map((proposal) => (
              <Stack
                key={proposal.id}
                gap={4}
                data-testid={`approval-${proposal.contractId}`}
                pb="xs"
                style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              >
                <Group justify="space-between" wrap="nowrap">
                  <RenewalLink renewal={proposal} />
                  <Text fw={700}>{money(proposal.option.total.amount, proposal.option.total.currency)}</Text>
                </Group>
                <Text size="sm">{proposal.option.label}</Text>
                <Group gap={4}>
                  <Text size="xs" c="dimmed">
                    {proposal.option.effectiveDiscountBps > 0
                      ? t('room.discount', { pct: percent(proposal.option.effectiveDiscountBps / 10_000) })
                      : ''}
                  </Text>
                  {proposal.steps.map((step) => (
                    <Badge
                      key={step.role}
                      size="xs"
                      color={step.status === 'approved' ? '#1b6b2c' : 'gray.7'}
                    >
                      {step.role.replace(/_/g, ' ')}: {t(`step.${step.status}` as MessageKey)}
                    </Badge>
                  ))}
                </Group>
                <Group gap="xs" align="flex-end">
                  <TextInput
                    size="xs"
                    style={{ flex: 1 }}
                    label={`${t('room.notes')} (${proposal.accountName})`}
                    value={comment[proposal.contractId] ?? ''}
                    onChange={(event) =>
                      setComment({ ...comment, [proposal.contractId]: event.currentTarget.value })
                    }
                  />
                  <Button
                    size="xs"
                    loading={decide.isPending && decide.variables?.action === 'approve'}
                    onClick={() =>
                      decide.mutate({
                        contractId: proposal.contractId,
                        sequence: proposal.sequence,
                        action: 'approve',
                      })
                    }
                    aria-label={`${t('manager.approve')}: ${proposal.accountName}`}
                  >
                    {t('manager.approve')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    loading={decide.isPending && decide.variables?.action === 'reject'}
                    onClick={() =>
                      decide.mutate({
                        contractId: proposal.contractId,
                        sequence: proposal.sequence,
                        action: 'reject',
                      })
                    }
                    aria-label={`${t('manager.reject')}: ${proposal.accountName}`}
                  >
                    {t('manager.reject')}
                  </Button>
                </Group>
              </Stack>
            ))
          )
        }
      </QueryView>
    </Section>
  );
}

export function ManagerHome({ workspace }: { workspace: Workspace }) {
  const { t, money, percent, date } = useI18n();
  const today = workspace.today;
  const thisQuarter = quarterOf(today);
  const nextQuarter = quarterOf(today, 1);
  const lastQuarter = quarterOf(today, -1);
  const current = useQuery(forecastQuery(thisQuarter.label));
  const next = useQuery(forecastQuery(nextQuarter.label));
  const attention = useQuery(teamAttentionQuery);
  const lastMetrics = useQuery(metricsQuery(lastQuarter.start, lastQuarter.end));

  const bands = ['green', 'yellow', 'red'] as const;
  const risk = bands.map((band) => {
    const rows = [...(current.data?.renewals ?? []), ...(next.data?.renewals ?? [])].filter(
      (r) => r.healthBand === band,
    );
    return {
      band: t(`band.${band}`),
      renewals: rows.length,
      arr: rows.reduce((sum, row) => sum + Number(row.arr), 0),
    };
  });

  return (
    <Stack gap="md">
      <Title order={1}>{t('home.manager.title')}</Title>
      <Section title={t('manager.forecast')} id="team-forecast">
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {[
            {
              query: current,
              label: t('manager.thisQuarter', { period: thisQuarter.label }),
              id: 'forecast-this',
            },
            {
              query: next,
              label: t('manager.nextQuarter', { period: nextQuarter.label }),
              id: 'forecast-next',
            },
          ].map(({ query, label, id }) => (
            <Stack key={id} gap="xs">
              <Text fw={700}>{label}</Text>
              <QueryView query={query}>
                {(forecast) => (
                  <>
                    <SimpleGrid cols={3} spacing="xs">
                      <Stat
                        label={t('forecast.expected')}
                        value={money(forecast.expectedRenewedArr, forecast.currency, { compact: true })}
                      />
                      <Stat
                        label={t('forecast.atRisk')}
                        value={money(forecast.atRiskArr, forecast.currency, { compact: true })}
                      />
                      <Stat
                        label={t('forecast.grr')}
                        value={percent(forecast.grr)}
                        hint={t('forecast.target', { value: percent(forecast.targets.grr, 0) })}
                      />
                    </SimpleGrid>
                    <CategoryTable forecast={forecast} testId={id} />
                  </>
                )}
              </QueryView>
            </Stack>
          ))}
        </SimpleGrid>
      </Section>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <Approvals />
            <Section title={t('manager.riskDistribution')} id="risk">
              <Group align="center" wrap="nowrap">
                <DonutChart
                  size={140}
                  thickness={24}
                  data={risk.map((row, index) => ({
                    name: row.band,
                    value: row.arr,
                    color: BAND_CHART_COLORS[bands[index]!] ?? 'gray.7',
                  }))}
                  valueFormatter={(value) =>
                    money(value, current.data?.currency ?? workspace.reportingCurrency, { compact: true })
                  }
                  withTooltip
                />
                <Table verticalSpacing={4}>
                  <Table.Tbody>
                    {risk.map((row, index) => (
                      <Table.Tr key={row.band}>
                        <Table.Td>
                          <BandBadge band={bands[index]} />
                        </Table.Td>
                        <Table.Td ta="right">{row.renewals}</Table.Td>
                        <Table.Td ta="right">
                          {money(row.arr, current.data?.currency ?? workspace.reportingCurrency)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Group>
            </Section>
            <Section title={t('manager.winLoss')} id="win-loss">
              <QueryView query={lastMetrics}>
                {(metrics) => (
                  <>
                    <SimpleGrid cols={3} spacing="xs">
                      <Stat label={t('winLoss.won')} value={metrics.won} />
                      <Stat label={t('winLoss.lost')} value={metrics.lost} />
                      <Stat label={t('metrics.renewalRate')} value={percent(metrics.renewalRateByCount)} />
                    </SimpleGrid>
                    <Table verticalSpacing={2}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('winLoss.reasons')}</Table.Th>
                          <Table.Th ta="right">{t('winLoss.won')}</Table.Th>
                          <Table.Th ta="right">{t('winLoss.lost')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {metrics.winLoss.reasons.slice(0, 5).map((reason) => (
                          <Table.Tr key={reason.reason}>
                            <Table.Td>{flagText(reason.reason)}</Table.Td>
                            <Table.Td ta="right">{reason.won}</Table.Td>
                            <Table.Td ta="right">{reason.lost}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </>
                )}
              </QueryView>
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <Section title={t('manager.attention')} id="attention">
              <QueryView query={attention}>
                {(data) =>
                  data.renewals.length === 0 ? (
                    <Empty>{t('common.none')}</Empty>
                  ) : (
                    <Table.ScrollContainer minWidth={480}>
                      <Table verticalSpacing={4}>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t('common.account')}</Table.Th>
                            <Table.Th>{t('common.due')}</Table.Th>
                            <Table.Th>{t('common.stage')}</Table.Th>
                            <Table.Th />
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {data.renewals.slice(0, 12).map((row) => (
                            <Table.Tr key={row.contractId}>
                              <Table.Td>
                                <RenewalLink renewal={row} />
                              </Table.Td>
                              <Table.Td>{date(row.dueDate)}</Table.Td>
                              <Table.Td>
                                {row.stage ? row.stage.replace(/_/g, ' ') : t('common.noStage')}
                              </Table.Td>
                              <Table.Td>
                                <Badge
                                  size="sm"
                                  miw="max-content"
                                  color={row.reason === 'slipping' ? 'red.9' : '#a63c06'}
                                >
                                  {t(`manager.reason.${row.reason}` as MessageKey)}
                                </Badge>
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  )
                }
              </QueryView>
            </Section>
            <Section title={t('manager.activity')} id="activity">
              <QueryView query={attention}>
                {(data) =>
                  data.activity.length === 0 ? (
                    <Empty>{t('common.none')}</Empty>
                  ) : (
                    data.activity.map((person) => (
                      <div key={person.userId}>
                        <Group justify="space-between">
                          <Text size="sm" fw={600}>
                            {person.name}
                          </Text>
                          <Text size="sm">
                            {percent(person.completionRate, 0)} · {person.done}/{person.due}
                            {person.overdue > 0 ? ` · ${t('manager.overdue')} ${person.overdue}` : ''}
                          </Text>
                        </Group>
                        <Progress
                          value={(person.completionRate ?? 0) * 100}
                          color={(person.completionRate ?? 0) >= 0.8 ? '#1b6b2c' : '#a63c06'}
                          aria-label={`${t('manager.completion')}: ${person.name}`}
                        />
                      </div>
                    ))
                  )
                }
              </QueryView>
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
