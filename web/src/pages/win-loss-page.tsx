/** Win/loss analysis of a period: reasons (patterns flagged), competitors, save-play effectiveness. */
import { BarChart } from '@mantine/charts';
import { Badge, Grid, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { metricsQuery, workspaceQuery } from '../api/queries.ts';
import { Empty, flagText, QueryView, Section, Stat } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
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
          </>
        )}
      </QueryView>
    </Stack>
  );
}
