/** The CSM's morning: renewals due in 90 days, at-risk accounts and why, tasks, early-renewal candidates. */
import { Badge, Grid, Group, List, Stack, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import type { Workspace } from '../api/client.ts';
import { csmHomeQueries, renewalQuery } from '../api/page-queries.ts';
import { RenewalLink, RenewalList } from '../components/renewal-list.tsx';
import { TaskList } from '../components/task-list.tsx';
import { BandBadge, Empty, QueryView, RiskFlags, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function CsmHome({ workspace }: { workspace: Workspace }) {
  const { t, date, money, percent } = useI18n();
  const today = workspace.today;
  const queries = csmHomeQueries(today);
  const dueSoon = useQuery(queries.dueSoon);
  const atRisk = useQuery(queries.atRisk);
  const details = useQueries({
    queries: (atRisk.data?.items ?? []).map((renewal) => renewalQuery(renewal.contractId)),
  });
  const tasks = useQuery(queries.tasks);
  const early = useQuery(queries.early);

  return (
    <Stack gap="md">
      <div>
        <Title order={1}>{t('home.csm.title', { name: workspace.user.name.split(' ')[0] ?? '' })}</Title>
        <Text c="dimmed">{t('home.csm.subtitle', { date: date(today) })}</Text>
      </div>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Section title={t('home.atRisk')} id="at-risk">
              <QueryView query={atRisk}>
                {(page) =>
                  page.items.length === 0 ? (
                    <Empty>{t('home.noAtRisk')}</Empty>
                  ) : (
                    <Stack gap="sm">
                      {page.items.map((renewal, index) => {
                        const drivers = (details[index]?.data?.healthDrivers ?? [])
                          .filter((driver) => driver.impact < 0)
                          .sort((a, b) => a.impact - b.impact)
                          .slice(0, 3);
                        return (
                          <div key={renewal.contractId} data-testid={`at-risk-${renewal.contractId}`}>
                            <Group justify="space-between" wrap="nowrap">
                              <Group gap="xs">
                                <RenewalLink renewal={renewal} />
                                <BandBadge band={renewal.health.band} score={renewal.health.score} />
                              </Group>
                              <Text size="sm">
                                {money(renewal.arr.amount, renewal.arr.currency)} · {date(renewal.dueDate)}
                              </Text>
                            </Group>
                            <RiskFlags flags={renewal.riskFlags} />
                            {drivers.length > 0 ? (
                              <List size="sm" mt={4} spacing={2}>
                                {drivers.map((driver) => (
                                  <List.Item key={driver.factor}>
                                    <Text span size="sm" fw={600}>
                                      {driver.factor.replace(/_/g, ' ')}
                                    </Text>{' '}
                                    <Text span size="sm" c="red.9">
                                      {driver.impact}
                                    </Text>{' '}
                                    <Text span size="sm" c="dimmed">
                                      {driver.detail}
                                    </Text>
                                  </List.Item>
                                ))}
                              </List>
                            ) : null}
                          </div>
                        );
                      })}
                    </Stack>
                  )
                }
              </QueryView>
            </Section>
            <Section title={t('home.dueSoon')} id="due-soon">
              <QueryView query={dueSoon}>
                {(page) => (
                  <RenewalList
                    renewals={page.items}
                    today={today}
                    empty={t('common.none')}
                    caption={t('home.dueSoon')}
                  />
                )}
              </QueryView>
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Section title={t('home.tasks')} id="tasks">
              <QueryView query={tasks}>
                {(page) => <TaskList tasks={page.items} today={today} empty={t('home.noTasks')} />}
              </QueryView>
            </Section>
            <Section title={t('home.early')} id="early">
              <QueryView query={early}>
                {(data) => {
                  const qualified = data.items.filter((item) => item.qualified);
                  if (qualified.length === 0) return <Empty>{t('home.noEarly')}</Empty>;
                  return (
                    <Stack gap={6}>
                      {qualified.map((item) => (
                        <Group key={item.contractId} justify="space-between" wrap="nowrap">
                          <div>
                            <RenewalLink renewal={item} />
                            <Text size="xs" c="dimmed">
                              {t('early.monthsEarly', { months: Math.round(item.monthsEarly) })} ·{' '}
                              {date(item.dueDate)}
                            </Text>
                          </div>
                          <Group gap={4}>
                            {item.sweetSpot ? <Badge color="teal.9">{t('early.sweetSpot')}</Badge> : null}
                            {item.suggestedDiscountPct ? (
                              <Badge color="gray.8" variant="outline">
                                {percent(item.suggestedDiscountPct.min / 100, 0)}–
                                {percent(item.suggestedDiscountPct.max / 100, 0)}
                              </Badge>
                            ) : null}
                          </Group>
                        </Group>
                      ))}
                    </Stack>
                  );
                }}
              </QueryView>
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
