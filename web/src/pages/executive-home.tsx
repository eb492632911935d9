/** The executive view: renewal rate and retention trends, forecast vs target, at-risk ARR, the waterfall, key deals. */
import { BarChart, LineChart } from '@mantine/charts';
import { Badge, Grid, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, call, type Renewal, type Workspace } from '../api/client.ts';
import { forecastQuery, metricsQuery } from '../api/queries.ts';
import { WaterfallChart } from '../components/charts.tsx';
import { RenewalLink } from '../components/renewal-list.tsx';
import { Empty, flagText, QueryView, Section, Stat } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { quarterOf } from '../periods.ts';

function KeyDeals({ renewals, outcome }: { renewals: Renewal[]; outcome: 'won' | 'lost' }) {
  const { t, money, date } = useI18n();
  const rows = renewals.filter((renewal) => renewal.outcome === outcome).slice(0, 5);
  if (rows.length === 0) return <Empty>{t('common.none')}</Empty>;
  return (
    <Table verticalSpacing={4}>
      <Table.Tbody>
        {rows.map((renewal) => (
          <Table.Tr key={renewal.contractId}>
            <Table.Td>
              <RenewalLink renewal={renewal} />
              <Text size="xs" c="dimmed">
                {date(renewal.closedOn ?? renewal.dueDate)}
                {renewal.reasons.length > 0 ? ` · ${renewal.reasons.map(flagText).join(', ')}` : ''}
                {renewal.competitor ? ` · ${renewal.competitor}` : ''}
              </Text>
            </Table.Td>
            <Table.Td ta="right">{money(renewal.arr.amount, renewal.arr.currency)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ExecutiveHome({ workspace }: { workspace: Workspace }) {
  const { t, money, percent } = useI18n();
  const today = workspace.today;
  const quarters = [-4, -3, -2, -1].map((offset) => quarterOf(today, offset));
  const lastQuarter = quarters[3]!;
  const thisQuarter = quarterOf(today);
  const trend = useQueries({ queries: quarters.map((q) => metricsQuery(q.start, q.end)) });
  const last = trend[3]!;
  const forecast = useQuery(forecastQuery(thisQuarter.label));
  const next = useQuery(forecastQuery(quarterOf(today, 1).label));
  const closed = useQuery({
    queryKey: ['renewals', 'closed', lastQuarter.label],
    queryFn: () =>
      call(
        api.GET('/api/v1/renewals', {
          params: {
            query: {
              status: 'closed',
              dueFrom: lastQuarter.start,
              dueTo: lastQuarter.end,
              sort: '-arr',
              limit: 100,
            },
          },
        }),
      ),
  });
  const trendData = quarters.map((q, index) => {
    const data = trend[index]?.data;
    return {
      quarter: q.label,
      renewalRate: data?.renewalRateByArr ?? null,
      grr: data?.grr ?? null,
      nrr: data?.nrr ?? null,
    };
  });
  const segments = new Map<string, number>();
  for (const f of [forecast.data, next.data]) {
    for (const slice of f?.atRiskBySegment ?? [])
      segments.set(slice.segment, (segments.get(slice.segment) ?? 0) + Number(slice.arr));
  }
  const currency = forecast.data?.currency ?? workspace.reportingCurrency;

  return (
    <Stack gap="md">
      <Title order={1}>{t('home.exec.title')}</Title>
      <QueryView query={last}>
        {(metrics) => (
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stat
              label={`${t('metrics.renewalRate')} (${lastQuarter.label})`}
              value={percent(metrics.renewalRateByArr)}
            />
            <Stat
              label={`${t('forecast.grr')} (${lastQuarter.label})`}
              value={percent(metrics.grr)}
              hint={t('forecast.target', { value: percent(metrics.targets.grr, 0) })}
            />
            <Stat
              label={`${t('forecast.nrr')} (${lastQuarter.label})`}
              value={percent(metrics.nrr)}
              hint={t('forecast.target', { value: percent(metrics.targets.nrr, 0) })}
            />
            <Stat
              label={`${t('metrics.ending')} (${lastQuarter.label})`}
              value={money(metrics.endingArr, metrics.currency, { compact: true })}
            />
          </SimpleGrid>
        )}
      </QueryView>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <Section title={`${t('metrics.waterfall')} · ${lastQuarter.label}`} id="waterfall">
              <QueryView query={last}>
                {(metrics) => (
                  <WaterfallChart
                    waterfall={metrics.waterfall}
                    currency={metrics.currency}
                    title={t('metrics.waterfall')}
                  />
                )}
              </QueryView>
            </Section>
            <Section title={t('metrics.renewalRate')} id="trend">
              <LineChart
                h={200}
                data={trendData}
                dataKey="quarter"
                series={[
                  { name: 'renewalRate', label: t('metrics.renewalRate'), color: 'teal.9' },
                  { name: 'grr', label: t('forecast.grr'), color: 'blue.8' },
                  { name: 'nrr', label: t('forecast.nrr'), color: 'violet.8' },
                ]}
                valueFormatter={(value) => percent(value, 0)}
                yAxisProps={{ domain: [0.6, 1.2] }}
                referenceLines={[
                  {
                    y: workspace.targets.grr,
                    label: t('forecast.target', { value: percent(workspace.targets.grr, 0) }),
                    color: 'gray.7',
                  },
                ]}
                withLegend
              />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="md">
            <Section title={`${t('metrics.forecastVsTarget')} · ${thisQuarter.label}`} id="forecast">
              <QueryView query={forecast}>
                {(f) => (
                  <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                    <Stat
                      label={t('forecast.expected')}
                      value={money(f.expectedRenewedArr, f.currency, { compact: true })}
                      hint={`${t('forecast.renewable')} ${money(f.renewableArr, f.currency, { compact: true })}`}
                    />
                    <Stat
                      label={t('forecast.grr')}
                      value={percent(f.grr)}
                      hint={
                        <Group gap={4} component="span">
                          {t('forecast.target', { value: percent(f.targets.grr, 0) })}
                          <Badge size="xs" color={f.targets.grrOnTrack ? '#1b6b2c' : 'red.9'}>
                            {f.targets.grrOnTrack ? t('forecast.onTrack') : t('forecast.offTrack')}
                          </Badge>
                        </Group>
                      }
                    />
                    <Stat
                      label={t('forecast.nrr')}
                      value={percent(f.nrr)}
                      hint={
                        <Group gap={4} component="span">
                          {t('forecast.target', { value: percent(f.targets.nrr, 0) })}
                          <Badge size="xs" color={f.targets.nrrOnTrack ? '#1b6b2c' : 'red.9'}>
                            {f.targets.nrrOnTrack ? t('forecast.onTrack') : t('forecast.offTrack')}
                          </Badge>
                        </Group>
                      }
                    />
                  </SimpleGrid>
                )}
              </QueryView>
            </Section>
            <Section title={t('metrics.atRiskBySegment')} id="at-risk-segment">
              <BarChart
                h={180}
                data={['enterprise', 'mid_market', 'smb'].map((segment) => ({
                  segment: t(`segment.${segment}` as MessageKey),
                  arr: segments.get(segment) ?? 0,
                }))}
                dataKey="segment"
                series={[{ name: 'arr', label: t('forecast.atRisk'), color: 'red.9' }]}
                valueFormatter={(value) => money(value, currency, { compact: true })}
              />
            </Section>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Section title={`${t('metrics.keyWins')} · ${lastQuarter.label}`} id="wins">
                <QueryView query={closed}>
                  {(page) => <KeyDeals renewals={page.items} outcome="won" />}
                </QueryView>
              </Section>
              <Section title={`${t('metrics.keyLosses')} · ${lastQuarter.label}`} id="losses">
                <QueryView query={closed}>
                  {(page) => <KeyDeals renewals={page.items} outcome="lost" />}
                </QueryView>
              </Section>
            </SimpleGrid>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
