/** A compact table of renewals that links each to its renewal room. */
import { Anchor, type AnchorProps, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { Renewal } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { daysBetween } from '../periods.ts';
import { BandBadge, CategoryBadge, Empty } from './ui.tsx';

/** A link to a renewal room, styled as a Mantine anchor. */
export function RoomLink({
  contractId,
  children,
  ...props
}: AnchorProps & { contractId: string; children: ReactNode }) {
  return (
    <Anchor
      {...props}
      c={props.c ?? '#05634a'}
      renderRoot={(rootProps) => <Link to="/renewals/$contractId" params={{ contractId }} {...rootProps} />}
    >
      {children}
    </Anchor>
  );
}

export function RenewalLink({ renewal }: { renewal: Pick<Renewal, 'contractId' | 'accountName'> }) {
  return (
    <RoomLink contractId={renewal.contractId} fw={600} size="sm">
      {renewal.accountName}
    </RoomLink>
  );
}

export function RenewalList({
  renewals,
  today,
  empty,
  caption,
}: {
  renewals: readonly Renewal[];
  today: string;
  empty: string;
  caption: string;
}) {
  const { t, date, money } = useI18n();
  if (renewals.length === 0) return <Empty>{empty}</Empty>;
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped highlightOnHover verticalSpacing={6}>
        <caption style={{ position: 'absolute', left: -10000 }}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.account')}</Table.Th>
            <Table.Th>{t('common.due')}</Table.Th>
            <Table.Th ta="right">{t('common.arr')}</Table.Th>
            <Table.Th>{t('common.health')}</Table.Th>
            <Table.Th>{t('common.category')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {renewals.map((renewal) => (
            <Table.Tr key={renewal.contractId}>
              <Table.Td>
                <RenewalLink renewal={renewal} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{date(renewal.dueDate)}</Text>
                <Text size="xs" c="dimmed">
                  {t('common.inDays', { days: daysBetween(today, renewal.dueDate) })}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{money(renewal.arr.amount, renewal.arr.currency)}</Table.Td>
              <Table.Td>
                <BandBadge band={renewal.health.band} score={renewal.health.score} />
              </Table.Td>
              <Table.Td>
                <CategoryBadge category={renewal.forecast.category} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
