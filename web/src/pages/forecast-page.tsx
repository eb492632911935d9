/** Forecast of a period (picker; CSV export of its renewals) and realized retention metrics of a range. */
import { BarChart } from '@mantine/charts';
import { Grid, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Schemas } from '../api/client.ts';
import { forecastQuery, metricsQuery, workspaceQuery } from '../api/queries.ts';
import { CategoryTable, WaterfallChart } from '../components/charts.tsx';
import { ExportMenu, type ExportTable, moneyHeader } from '../components/export-menu.tsx';
import { RoomLink } from '../components/renewal-list.tsx';
import { BandBadge, CategoryBadge, flagText, QueryView, Section, Stat } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { quarterOf } from '../periods.ts';

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** The forecast's renewals as the table on screen, for export. */
function forecastExport(f: Schemas['Forecast'], t: Translate): ExportTable {
  return {
    fileName: `forecast-${f.period}`,
    sheetName: `${t('nav.forecast')} ${f.period}`,
    columns: [
      { header: t('export.accountId'), kind: 'text' },
      { header: t('export.contractId'), kind: 'text' },
      { header: t('common.due'), kind: 'date' },
      { header: moneyHeader(t('common.arr'), f.currency), kind: 'money' },
      { header: t('common.probability'), kind: 'ratio' },
      { header: t('common.category'), kind: 'text' },
      { header: t('room.modelCall'), kind: 'text' },
      { header: t('room.csmCall'), kind: 'text' },
      { header: t('common.segment'), kind: 'text' },
      { header: t('common.owner'), kind: 'text' },
      { header: t('common.health'), kind: 'number' },
      { header: t('export.band'), kind: 'text' },
      { header: t('common.stage'), kind: 'text' },
      { header: t('common.risk'), kind: 'text' },
    ],
    rows: f.renewals.map((r) => [
      r.accountId,
      r.contractId,
      r.dueDate,
      r.arr,
      r.probability,
      r.category,
      r.modelCategory,
      r.csmCategory,
      r.segment,
      r.ownerUserId,
      r.healthScore,
      r.healthBand,
      r.stage,
      r.riskFlags.join(' '),
    ]),
  };
}

/** Retention metrics of the range, all segments first, as the table on screen. */
function metricsExport(m: Schemas['RetentionMetrics'], t: Translate): ExportTable {
  const money = (label: string) => ({ header: moneyHeader(label, m.currency), kind: 'money' as const });
  return {
    fileName: `retention-${m.from}-${m.to}`,
    sheetName: `${m.from} ${m.to}`,
    columns: [
      { header: t('common.segment'), kind: 'text' },
      { header: t('export.renewals'), kind: 'number' },
      { header: t('winLoss.won'), kind: 'number' },
      { header: t('winLoss.lost'), kind: 'number' },
      { header: t('export.pending'), kind: 'number' },
      money(t('export.startingArr')),
      money(t('export.churnArr')),
      money(t('export.contractionArr')),
      money(t('export.expansionArr')),
      money(t('metrics.ending')),
      { header: t('metrics.renewalRate'), kind: 'ratio' },
      { header: t('forecast.grr'), kind: 'ratio' },
      { header: t('forecast.nrr'), kind: 'ratio' },
    ],
    rows: [
      { ...m, segment: t('common.all') },
      ...m.bySegment.map((row) => ({ ...row, segment: t(`segment.${row.segment}` as MessageKey) })),
    ].map((row) => [
      row.segment,
      row.renewals,
      row.won,
      row.lost,
      row.pending,
      row.startingArr,
      row.churnArr,
      row.contractionArr,
      row.expansionArr,
      row.endingArr,
      row.renewalRateByCount,
      row.grr,
      row.nrr,
    ]),
  };
}

export function ForecastPage() {
  const { t, money, percent, date } = useI18n();
  const { data: workspace } = useQuery(workspaceQuery);
  const today = workspace?.today ?? new Date().toISOString().slice(0, 10);
  const periods = [-2, -1, 0, 1, 2, 3].map((offset) => quarterOf(today, offset).label);
  const year = today.slice(0, 4);
  const [period, setPeriod] = useState(quarterOf(today).label);
  const last = quarterOf(today, -1);
  const [from, setFrom] = useState(last.start);
  const [to, setTo] = useState(last.end);
  const forecast = useQuery(forecastQuery(period));
  const metrics = useQuery({
    ...metricsQuery(from, to),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to),
  });
  const forecastTable = forecast.data ? forecastExport(forecast.data, t) : null;
  const metricsTable = metrics.data ? metricsExport(metrics.data, t) : null;

  return (
    <Stack gap="md">
      <Title order={1}>{t('nav.forecast')}</Title>
      <Section
        title={t('manager.forecast')}
        id="forecast"
        actions={
          <Group gap="xs" align="flex-end">
            <Select
              label={t('common.period')}
              w={150}
              data={[...periods, year, String(Number(year) + 1)]}
              value={period}
              onChange={(value) => value && setPeriod(value)}
              allowDeselect={false}
            />
            <ExportMenu table={forecastTable} label={t('manager.forecast')} />
          </Group>
        }
      >
        <QueryView query={forecast}>
          {(f) => (
            <>
              <SimpleGrid cols={{ base: 2, md: 5 }} spacing="xs">
                <Stat
                  label={t('forecast.renewable')}
                  value={money(f.renewableArr, f.currency, { compact: true })}
                />
                <Stat
                  label={t('forecast.expected')}
                  value={money(f.expectedRenewedArr, f.currency, { compact: true })}
                />
                <Stat
                  label={t('forecast.atRisk')}
                  value={money(f.atRiskArr, f.currency, { compact: true })}
                />
                <Stat
                  label={t('forecast.grr')}
                  value={percent(f.grr)}
                  hint={t('forecast.target', { value: percent(f.targets.grr, 0) })}
                />
                <Stat
                  label={t('forecast.nrr')}
                  value={percent(f.nrr)}
                  hint={t('forecast.target', { value: percent(f.targets.nrr, 0) })}
                />
              </SimpleGrid>
              <Text size="xs" c="dimmed">
                {t('forecast.model', { model: f.model.model, count: f.model.trainingRenewals })}
              </Text>
              <Grid gap="md">
                <Grid.Col span={{ base: 12, md: 4 }}>
                  <Text fw={700} size="sm">
                    {t('forecast.byCategory')}
                  </Text>
                  <CategoryTable forecast={f} testId="forecast-page" />
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 4 }}>
                  <Text fw={700} size="sm">
                    {t('forecast.byMonth')}
                  </Text>
                  <BarChart
                    h={200}
                    data={f.byMonth.map((month) => ({
                      month: month.period,
                      expected: Number(month.expectedRenewedArr),
                      atRisk: Number(month.atRiskArr),
                    }))}
                    dataKey="month"
                    series={[
                      { name: 'expected', label: t('forecast.expected'), color: 'teal.9' },
                      { name: 'atRisk', label: t('forecast.atRisk'), color: 'red.9' },
                    ]}
                    valueFormatter={(value) => money(value, f.currency, { compact: true })}
                    withLegend
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 4 }}>
                  <WaterfallChart
                    waterfall={f.waterfall}
                    currency={f.currency}
                    title={`${t('metrics.waterfall')} · ${f.period}`}
                  />
                </Grid.Col>
              </Grid>
              <Text fw={700} size="sm" mt="sm">
                {t('forecast.renewals')}
              </Text>
              <Table.ScrollContainer minWidth={800} mah={420}>
                <Table striped verticalSpacing={4} stickyHeader>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('common.account')}</Table.Th>
                      <Table.Th>{t('common.due')}</Table.Th>
                      <Table.Th ta="right">{t('common.arr')}</Table.Th>
                      <Table.Th ta="right">{t('common.probability')}</Table.Th>
                      <Table.Th>{t('room.modelCall')}</Table.Th>
                      <Table.Th>{t('room.csmCall')}</Table.Th>
                      <Table.Th>{t('common.health')}</Table.Th>
                      <Table.Th>{t('common.risk')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {f.renewals.map((r) => (
                      <Table.Tr key={r.contractId}>
                        <Table.Td>
                          <RoomLink contractId={r.contractId} size="sm" fw={600}>
                            {r.accountId} · {r.contractId}
                          </RoomLink>
                        </Table.Td>
                        <Table.Td>{date(r.dueDate)}</Table.Td>
                        <Table.Td ta="right">{money(r.arr, f.currency)}</Table.Td>
                        <Table.Td ta="right">{percent(r.probability, 0)}</Table.Td>
                        <Table.Td>
                          <CategoryBadge category={r.modelCategory} />
                        </Table.Td>
                        <Table.Td>
                          <CategoryBadge category={r.csmCategory} />
                        </Table.Td>
                        <Table.Td>
                          <BandBadge band={r.healthBand} score={r.healthScore} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs">{r.riskFlags.map(flagText).join(', ') || '–'}</Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )}
        </QueryView>
      </Section>
      <Section
        title={t('metrics.title')}
        id="metrics"
        actions={
          <Group gap="xs" align="flex-end">
            <TextInput
              type="date"
              label={t('metrics.from')}
              value={from}
              onChange={(event) => setFrom(event.currentTarget.value)}
            />
            <TextInput
              type="date"
              label={t('metrics.to')}
              value={to}
              onChange={(event) => setTo(event.currentTarget.value)}
            />
            <ExportMenu table={metricsTable} label={t('metrics.title')} />
          </Group>
        }
      >
        <QueryView query={metrics}>
          {(m) => (
            <Grid gap="md">
              <Grid.Col span={{ base: 12, md: 7 }}>
                <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
                  <Stat
                    label={t('metrics.renewalRate')}
                    value={percent(m.renewalRateByCount)}
                    hint={`${m.won} / ${m.won + m.lost}`}
                  />
                  <Stat label={t('forecast.grr')} value={percent(m.grr)} />
                  <Stat label={t('forecast.nrr')} value={percent(m.nrr)} />
                  <Stat label={t('early.rate')} value={percent(m.earlyRenewalRate)} />
                </SimpleGrid>
                <Table verticalSpacing={4} mt="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('common.segment')}</Table.Th>
                      <Table.Th ta="right">{t('winLoss.won')}</Table.Th>
                      <Table.Th ta="right">{t('winLoss.lost')}</Table.Th>
                      <Table.Th ta="right">{t('forecast.grr')}</Table.Th>
                      <Table.Th ta="right">{t('forecast.nrr')}</Table.Th>
                      <Table.Th ta="right">{t('metrics.ending')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {m.bySegment.map((row) => (
                      <Table.Tr key={row.segment}>
                        <Table.Td>{t(`segment.${row.segment}` as MessageKey)}</Table.Td>
                        <Table.Td ta="right">{row.won}</Table.Td>
                        <Table.Td ta="right">{row.lost}</Table.Td>
                        <Table.Td ta="right">{percent(row.grr)}</Table.Td>
                        <Table.Td ta="right">{percent(row.nrr)}</Table.Td>
                        <Table.Td ta="right">{money(row.endingArr, m.currency)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 5 }}>
                <WaterfallChart
                  waterfall={m.waterfall}
                  currency={m.currency}
                  title={`${t('metrics.waterfall')} · ${from} – ${to}`}
                />
              </Grid.Col>
            </Grid>
          )}
        </QueryView>
      </Section>
    </Stack>
  );
}
