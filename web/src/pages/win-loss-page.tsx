/**
 * Win/loss analysis of a period: reasons (patterns flagged), competitors, save-play effectiveness, and
 * the renewal process behind them (timeline adherence vs win rate, time per phase, team hours vs the
 * segment budget, where renewals stall).
 */
import { BarChart } from '@mantine/charts';
import { Badge, Grid, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Schemas } from '../api/client.ts';
import { metricsQuery, workspaceQuery } from '../api/queries.ts';
import { Empty, flagText, QueryView, Section, Stat } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { addDays, quarterOf } from '../periods.ts';

export function WinLossPage() {
  const { t, money, percent } = useI18n();
  const { data: workspace } = useQuery(workspaceQuery);
  const today = workspace?.today ?? new Date().toISOString().slice(0, 10);
  const options = [
    { value: 'last-quarter', label: quarterOf(today, -1).label, range: quarterOf(today, -1) },
    {
      value: 'last-4',
      label: `${quarterOf(today, -4).label} – ${quarterOf(today, -1).label}`,
      range: { start: quarterOf(today, -4).start, end: quarterOf(today, -1).end },
    },
    {
      value: 'last-365',
      label: `${addDays(today, -365)} – ${today}`,
      range: { start: addDays(today, -365), end: today },
    },
  ];
  const [choice, setChoice] = useState('last-4');
  const range = (options.find((option) => option.value === choice) ?? options[1]!).range;
  const metrics = useQuery(metricsQuery(range.start, range.end));

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t('winLoss.title')}</Title>
        <Select
          label={t('common.period')}
          w={260}
          data={options.map(({ value, label }) => ({ value, label }))}
          value={choice}
          onChange={(value) => value && setChoice(value)}
          allowDeselect={false}
        />
      </Group>
      <QueryView query={metrics}>
        {(m) => (
          <>
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Stat label={t('winLoss.won')} value={m.won} />
              <Stat label={t('winLoss.lost')} value={m.lost} hint={money(m.churnArr, m.currency)} />
              <Stat label={t('metrics.renewalRate')} value={percent(m.renewalRateByCount)} />
              <Stat label={t('forecast.grr')} value={percent(m.grr)} />
            </SimpleGrid>
            <Grid gap="md">
              <Grid.Col span={{ base: 12, lg: 7 }}>
                <Section title={t('winLoss.reasons')} id="reasons">
                  {m.winLoss.reasons.length === 0 ? (
                    <Empty>{t('common.none')}</Empty>
                  ) : (
                    <>
                      <BarChart
                        h={Math.max(160, m.winLoss.reasons.slice(0, 10).length * 28)}
                        orientation="vertical"
                        data={m.winLoss.reasons.slice(0, 10).map((reason) => ({
                          reason: flagText(reason.reason),
                          won: reason.won,
                          lost: reason.lost,
                        }))}
                        dataKey="reason"
                        type="stacked"
                        yAxisProps={{ width: 140 }}
                        series={[
                          { name: 'won', label: t('winLoss.won'), color: 'teal.9' },
                          { name: 'lost', label: t('winLoss.lost'), color: 'red.9' },
                        ]}
                        withLegend
                      />
                      <Table verticalSpacing={4}>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t('winLoss.reasons')}</Table.Th>
                            <Table.Th ta="right">{t('winLoss.won')}</Table.Th>
                            <Table.Th ta="right">{t('winLoss.lost')}</Table.Th>
                            <Table.Th ta="right">{t('winLoss.lostArr')}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {m.winLoss.reasons.map((reason) => (
                            <Table.Tr key={reason.reason}>
                              <Table.Td>
                                {flagText(reason.reason)}
                                {reason.isPattern ? (
                                  <Badge ml={6} size="xs" color="red.9">
                                    {t('winLoss.pattern')}
                                  </Badge>
                                ) : null}
                              </Table.Td>
                              <Table.Td ta="right">{reason.won}</Table.Td>
                              <Table.Td ta="right">{reason.lost}</Table.Td>
                              <Table.Td ta="right">{money(reason.lostArr, m.currency)}</Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </>
                  )}
                </Section>
              </Grid.Col>
              <Grid.Col span={{ base: 12, lg: 5 }}>
                <Stack gap="md">
                  <Section title={t('winLoss.competitors')} id="competitors">
                    {m.winLoss.competitors.length === 0 ? (
                      <Empty>{t('common.none')}</Empty>
                    ) : (
                      <Table verticalSpacing={4}>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t('room.competitor')}</Table.Th>
                            <Table.Th ta="right">{t('winLoss.lost')}</Table.Th>
                            <Table.Th ta="right">{t('winLoss.competitiveWins')}</Table.Th>
                            <Table.Th ta="right">{t('winLoss.lostArr')}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {m.winLoss.competitors.map((row) => (
                            <Table.Tr key={row.competitor}>
                              <Table.Td>
                                {row.competitor}
                                {row.isPattern ? (
                                  <Badge ml={6} size="xs" color="red.9">
                                    {t('winLoss.pattern')}
                                  </Badge>
                                ) : null}
                              </Table.Td>
                              <Table.Td ta="right">{row.losses}</Table.Td>
                              <Table.Td ta="right">{row.competitiveWins}</Table.Td>
                              <Table.Td ta="right">{money(row.lostArr, m.currency)}</Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    )}
                  </Section>
                  <Section title={t('winLoss.savePlays')} id="save-plays">
                    <SimpleGrid cols={2}>
                      <Stat
                        label={t('winLoss.withSave')}
                        value={percent(m.winLoss.savePlays.withSavePlay.winRate)}
                        hint={`${m.winLoss.savePlays.withSavePlay.won} / ${m.winLoss.savePlays.withSavePlay.renewals}`}
                      />
                      <Stat
                        label={t('winLoss.withoutSave')}
                        value={percent(m.winLoss.savePlays.withoutSavePlay.winRate)}
                        hint={`${m.winLoss.savePlays.withoutSavePlay.won} / ${m.winLoss.savePlays.withoutSavePlay.renewals}`}
                      />
                    </SimpleGrid>
                    <Text size="xs" c="dimmed" mt={4}>
                      {t('winLoss.winRate')}
                    </Text>
                  </Section>
                </Stack>
              </Grid.Col>
            </Grid>
            <ProcessSection process={m.process} currency={m.currency} />
          </>
        )}
      </QueryView>
    </Stack>
  );
}

type ProcessMetrics = Schemas['ProcessMetrics'];

/** Timeline adherence vs win rate, time per phase, team hours vs budget and stall points (docs/METRICS.md). */
function ProcessSection({ process, currency }: { process: ProcessMetrics | null; currency: string }) {
  const { t, number, percent, money } = useI18n();
  if (!process) {
    return (
      <Section title={t('process.title')} id="process">
        <Empty>{t('process.unavailable')}</Empty>
      </Section>
    );
  }
  const { timelineAdherence, timePerPhase, teamHours, stalls } = process;
  const stage = (key: string | null) => (key === null ? t('process.noStage') : flagText(key));
  const segment = (key: string) => t(`segment.${key}` as MessageKey);
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Section title={t('process.adherence')} id="adherence">
          <Table verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th ta="right">{t('process.renewals')}</Table.Th>
                <Table.Th ta="right">{t('winLoss.winRate')}</Table.Th>
                <Table.Th ta="right">{t('process.winRateArr')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {timelineAdherence.buckets.map((bucket) => (
                <Table.Tr key={bucket.bucket}>
                  <Table.Td>{t(`process.bucket.${bucket.bucket}`)}</Table.Td>
                  <Table.Td ta="right">{bucket.renewals}</Table.Td>
                  <Table.Td ta="right">{percent(bucket.winRateByCount)}</Table.Td>
                  <Table.Td ta="right">{percent(bucket.winRateByArr)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Section title={t('process.phases')} id="phases">
          {timePerPhase.stages.length === 0 ? (
            <Empty>{t('common.none')}</Empty>
          ) : (
            <BarChart
              h={Math.max(160, timePerPhase.stages.length * 32)}
              orientation="vertical"
              data={timePerPhase.stages.map((phase) => ({
                stage: stage(phase.stage),
                median: phase.medianDays ?? 0,
                p90: phase.p90Days ?? 0,
              }))}
              dataKey="stage"
              yAxisProps={{ width: 140 }}
              series={[
                { name: 'median', label: t('process.median'), color: 'blue.8' },
                { name: 'p90', label: t('process.p90'), color: 'gray.6' },
              ]}
              withLegend
            />
          )}
        </Section>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Section title={t('process.hours')} id="team-hours">
          {teamHours.bySegment.length === 0 ? (
            <Empty>{t('common.none')}</Empty>
          ) : (
            <>
              <Table verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th />
                    <Table.Th ta="right">{t('process.median')}</Table.Th>
                    <Table.Th ta="right">{t('process.budget')}</Table.Th>
                    <Table.Th ta="right">{t('process.overBudget')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {teamHours.bySegment.map((row) => (
                    <Table.Tr key={row.segment}>
                      <Table.Td>{segment(row.segment)}</Table.Td>
                      <Table.Td ta="right">
                        {row.medianHours === null ? '–' : `${number(row.medianHours, 1)} h`}
                      </Table.Td>
                      <Table.Td ta="right">
                        {row.budget ? `${number(row.budget.minHours)}–${number(row.budget.maxHours)} h` : '–'}
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text span c={row.overBudget > 0 ? 'red.9' : undefined}>
                          {percent(row.overBudgetShare)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="xs" c="dimmed" mt={4}>
                {t('process.hoursNote', {
                  logged: teamHours.loggedTasks,
                  estimated: teamHours.estimatedTasks,
                })}
              </Text>
            </>
          )}
        </Section>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Section title={t('process.stalls')} id="stalls">
          <Text size="sm" mb={4}>
            {t('process.stalledOf', { stalled: stalls.stalled, open: stalls.open })}
          </Text>
          <Table verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('process.stage')}</Table.Th>
                <Table.Th ta="right">{t('process.open')}</Table.Th>
                <Table.Th ta="right">{t('process.stalled')}</Table.Th>
                <Table.Th ta="right">{t('process.median')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {stalls.byStage.map((row) => (
                <Table.Tr key={row.stage ?? ''}>
                  <Table.Td>{stage(row.stage)}</Table.Td>
                  <Table.Td ta="right">{row.open}</Table.Td>
                  <Table.Td ta="right">{row.stalled}</Table.Td>
                  <Table.Td ta="right">{row.medianDays === null ? '–' : number(row.medianDays)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {stalls.byMilestone.length > 0 ? (
            <Text size="xs" mt={6}>
              {t('process.overdueMilestones')}:{' '}
              {stalls.byMilestone.map((row) => `${row.milestone} ${row.renewals}`).join(', ')}
            </Text>
          ) : null}
          {stalls.lostAfterStage.length > 0 ? (
            <Text size="xs" mt={4}>
              {t('process.lostAfter')}:{' '}
              {stalls.lostAfterStage
                .map((row) => `${stage(row.stage)} ${row.lost} (${money(row.lostArr, currency)})`)
                .join(', ')}
            </Text>
          ) : null}
        </Section>
      </Grid.Col>
    </Grid>
  );
}
