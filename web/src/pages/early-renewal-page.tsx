/** The early-renewal program: who qualifies and why, who does not and why, windows, incentives, results. */
import { Badge, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client.ts';
import { metricsQuery, workspaceQuery } from '../api/queries.ts';
import { RenewalLink } from '../components/renewal-list.tsx';
import { BandBadge, Empty, flagText, QueryView, Section, Stat } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { addDays } from '../periods.ts';

export function EarlyRenewalPage() {
  const { t, date, money, percent, number } = useI18n();
  const { data: workspace } = useQuery(workspaceQuery);
  const today = workspace?.today ?? new Date().toISOString().slice(0, 10);
  const [scope, setScope] = useState(
    workspace && ['csm', 'sales', 'specialist'].includes(workspace.user.role) ? 'me' : 'all',
  );
  const candidates = useQuery({
    queryKey: ['early-renewals', scope],
    queryFn: () =>
      call(api.GET('/api/v1/early-renewals', { params: { query: scope === 'me' ? { owner: 'me' } : {} } })),
  });
  const program = useQuery(metricsQuery(addDays(today, -365), today));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('early.title')}</Title>
        <SegmentedControl
          value={scope}
          onChange={setScope}
          data={[
            { value: 'me', label: t('common.me') },
            { value: 'all', label: t('common.all') },
          ]}
          aria-label={t('common.owner')}
        />
      </Group>
      <Section title={t('early.program')} id="program">
        <QueryView query={program}>
          {(m) => (
            <SimpleGrid cols={{ base: 2, md: 5 }} spacing="xs">
              <Stat label={t('early.rate')} value={percent(m.earlyRenewalRate)} />
              <Stat label={t('early.count')} value={m.earlyRenewals} />
              <Stat label={t('early.avgDays')} value={number(m.averageDaysEarly, 0)} />
              <Stat
                label={t('early.accelerated')}
                value={money(m.revenueAccelerated, m.currency, { compact: true })}
              />
              <Stat
                label={t('early.roi')}
                value={m.earlyProgram.roi === null ? '–' : `${number(m.earlyProgram.roi, 1)}×`}
              />
            </SimpleGrid>
          )}
        </QueryView>
      </Section>
      <QueryView query={candidates}>
        {(data) => {
          const qualified = data.items.filter((item) => item.qualified);
          const disqualified = data.items.filter((item) => !item.qualified);
          return (
            <>
              <Section title={`${t('early.qualified')} (${qualified.length})`} id="qualified">
                {qualified.length === 0 ? (
                  <Empty>{t('home.noEarly')}</Empty>
                ) : (
                  <Table.ScrollContainer minWidth={700}>
                    <Table striped verticalSpacing={4}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('common.account')}</Table.Th>
                          <Table.Th>{t('common.due')}</Table.Th>
                          <Table.Th ta="right">{t('common.arr')}</Table.Th>
                          <Table.Th>{t('common.health')}</Table.Th>
                          <Table.Th>{t('early.window')}</Table.Th>
                          <Table.Th>{t('early.incentive')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {qualified.map((item) => (
                          <Table.Tr key={item.contractId}>
                            <Table.Td>
                              <RenewalLink renewal={item} />
                              <Text size="xs">
                                {t('early.monthsEarly', { months: number(item.monthsEarly, 1) })}
                              </Text>
                            </Table.Td>
                            <Table.Td>{date(item.dueDate)}</Table.Td>
                            <Table.Td ta="right">{money(item.arr.amount, item.arr.currency)}</Table.Td>
                            <Table.Td>
                              <BandBadge band={item.healthBand} score={item.healthScore} />
                            </Table.Td>
                            <Table.Td>
                              {date(item.windowOpens)}
                              {item.sweetSpot ? (
                                <Badge ml={4} size="xs" color="teal.9">
                                  {t('early.sweetSpot')}
                                </Badge>
                              ) : null}
                            </Table.Td>
                            <Table.Td>
                              {item.suggestedDiscountPct
                                ? `${percent(item.suggestedDiscountPct.min / 100, 0)}–${percent(item.suggestedDiscountPct.max / 100, 0)}`
                                : '–'}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Section>
              <Section title={`${t('early.disqualified')} (${disqualified.length})`} id="disqualified">
                {disqualified.length === 0 ? (
                  <Empty>{t('common.none')}</Empty>
                ) : (
                  <Table.ScrollContainer minWidth={700}>
                    <Table striped verticalSpacing={4}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('common.account')}</Table.Th>
                          <Table.Th>{t('common.due')}</Table.Th>
                          <Table.Th>{t('common.health')}</Table.Th>
                          <Table.Th>{t('room.reasons')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {disqualified.slice(0, 100).map((item) => (
                          <Table.Tr key={item.contractId}>
                            <Table.Td>
                              <RenewalLink renewal={item} />
                            </Table.Td>
                            <Table.Td>{date(item.dueDate)}</Table.Td>
                            <Table.Td>
                              <BandBadge band={item.healthBand} score={item.healthScore} />
                            </Table.Td>
                            <Table.Td>
                              <Group gap={4}>
                                {item.reasons.map((reason) => (
                                  <Badge key={reason} size="xs" variant="outline" color="gray.8">
                                    {flagText(reason)}
                                  </Badge>
                                ))}
                              </Group>
                              {item.details.length > 0 ? (
                                <Text size="xs" c="dimmed">
                                  {item.details.join(' · ')}
                                </Text>
                              ) : null}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Section>
            </>
          );
        }}
      </QueryView>
    </Stack>
  );
}
