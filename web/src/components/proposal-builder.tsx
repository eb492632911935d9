/**
 * Proposal builder: every priced option side by side with live totals (re-priced when the seat change
 * or custom terms change) and the approvals each needs; save a draft, submit for approval, send once
 * approved. Workflow steps show who decided what.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Timeline,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, api, call, type Proposal } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { Empty, ProblemAlert, QueryView, useUserName } from './ui.tsx';

const STATUS_COLORS: Record<string, string> = {
  draft: 'gray.7',
  pending_approval: '#a63c06',
  approved: '#1b6b2c',
  rejected: 'red.9',
  sent: 'blue.8',
  signed: 'teal.9',
  declined: 'red.9',
};

export function ProposalStatus({ proposal }: { proposal: Proposal }) {
  const { t, dateTime } = useI18n();
  const userName = useUserName();
  return (
    <Stack gap="xs" data-testid="proposal-status">
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {t('room.status')}:
        </Text>
        <Badge color={STATUS_COLORS[proposal.status] ?? 'gray.7'} autoContrast>
          {t(`status.${proposal.status}` as MessageKey)}
        </Badge>
        <Text size="xs" c="dimmed">
          v{proposal.version}
        </Text>
      </Group>
      <Text size="sm" fw={600}>
        {t('room.approvals')}
      </Text>
      <Timeline
        lineWidth={2}
        bulletSize={12}
        active={proposal.steps.filter((s) => s.status !== 'pending').length - 1}
      >
        {proposal.steps.map((step) => (
          <Timeline.Item
            key={step.role}
            title={
              <Group gap={6}>
                <Text size="sm" fw={600}>
                  {step.role.replace(/_/g, ' ')}
                </Text>
                <Badge
                  size="xs"
                  color={
                    step.status === 'approved' ? '#1b6b2c' : step.status === 'rejected' ? 'red.9' : 'gray.7'
                  }
                >
                  {t(`step.${step.status}` as MessageKey)}
                </Badge>
              </Group>
            }
          >
            {step.decidedBy ? (
              <Text size="xs" c="dimmed">
                {userName(step.decidedBy)} · {dateTime(step.decidedAt)}
                {step.comment ? ` · “${step.comment}”` : ''}
              </Text>
            ) : null}
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}

export function ProposalBuilder({ contractId, canEdit }: { contractId: string; canEdit: boolean }) {
  const { t, money, percent } = useI18n();
  const queryClient = useQueryClient();
  const [seatsChange, setSeatsChange] = useState<number>(0);
  const [customTerms, setCustomTerms] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const [debouncedSeats] = useDebouncedValue(seatsChange, 300);
  const [debouncedTerms] = useDebouncedValue(customTerms.trim(), 400);

  const proposal = useQuery({
    queryKey: ['proposal', contractId],
    queryFn: () =>
      call(api.GET('/api/v1/renewals/{contractId}/proposal', { params: { path: { contractId } } })),
  });
  const quote = useQuery({
    queryKey: ['quote', contractId, debouncedSeats, debouncedTerms],
    queryFn: () =>
      call(
        api.GET('/api/v1/renewals/{contractId}/quote', {
          params: {
            path: { contractId },
            query: {
              ...(debouncedSeats ? { seatsChange: debouncedSeats } : {}),
              ...(debouncedTerms ? { customTerms: debouncedTerms } : {}),
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });

  const current = proposal.data?.proposal ?? null;
  const selected = chosen ?? current?.option.key ?? null;
  const editable = canEdit && (!current || current.status === 'draft' || current.status === 'rejected');

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['proposal', contractId] });
    void queryClient.invalidateQueries({ queryKey: ['approvals'] });
  };
  const save = useMutation({
    mutationFn: async ({ submit }: { submit: boolean }) => {
      let saved = current;
      const needsSave =
        !saved ||
        saved.option.key !== selected ||
        (saved.seatsChange ?? 0) !== seatsChange ||
        (saved.customTerms ?? '') !== customTerms.trim() ||
        saved.status === 'rejected';
      if (needsSave) {
        saved = await call(
          api.PUT('/api/v1/renewals/{contractId}/proposal', {
            params: { path: { contractId } },
            body: {
              optionKey: selected ?? 'good',
              ...(seatsChange ? { seatsChange } : {}),
              ...(customTerms.trim() ? { customTerms: customTerms.trim() } : {}),
              ...(current ? { sequence: current.sequence } : {}),
            },
          }),
        );
      }
      if (submit && saved) {
        saved = await call(
          api.POST('/api/v1/renewals/{contractId}/proposal/submit', {
            params: { path: { contractId } },
            body: { sequence: saved.sequence },
          }),
        );
      }
      return saved;
    },
    onSettled: refresh,
  });
  const send = useMutation({
    mutationFn: (sequence: number) =>
      call(
        api.POST('/api/v1/renewals/{contractId}/proposal/send', {
          params: { path: { contractId } },
          body: { sequence },
        }),
      ),
    onSettled: () => {
      refresh();
      void queryClient.invalidateQueries({ queryKey: ['renewal', contractId] });
    },
  });
  const mutationError = save.error ?? send.error;

  return (
    <Stack gap="sm">
      {current ? <ProposalStatus proposal={current} /> : <Empty>{t('room.noProposal')}</Empty>}
      {mutationError ? (
        mutationError instanceof ApiProblem && mutationError.status === 409 ? (
          <Alert color="orange" role="alert">
            {mutationError.message}
          </Alert>
        ) : (
          <ProblemAlert error={mutationError} />
        )
      ) : null}
      {editable ? (
        <Group grow align="flex-start">
          <NumberInput
            label={t('room.seatsChange')}
            value={seatsChange}
            onChange={(value) => setSeatsChange(typeof value === 'number' ? value : 0)}
            step={1}
            allowDecimal={false}
          />
          <Textarea
            label={t('room.customTerms')}
            value={customTerms}
            onChange={(event) => setCustomTerms(event.currentTarget.value)}
            autosize
            minRows={1}
            maxRows={3}
          />
        </Group>
      ) : null}
      <QueryView query={quote}>
        {(data) => (
          <>
            <SimpleGrid
              cols={{ base: 1, md: 2, xl: 3 }}
              spacing="sm"
              role="radiogroup"
              aria-label={t('room.options')}
            >
              {data.options.map((option) => {
                const isChosen = option.key === selected;
                return (
                  <Card
                    key={option.key}
                    withBorder
                    padding="sm"
                    data-testid={`option-${option.key}`}
                    style={
                      isChosen ? { borderColor: 'var(--mantine-color-brand-8)', borderWidth: 2 } : undefined
                    }
                  >
                    <Text size="sm" fw={700}>
                      {option.label}
                    </Text>
                    <Table withRowBorders={false} verticalSpacing={2} mt={4}>
                      <Table.Tbody>
                        {option.years.map((year) => (
                          <Table.Tr key={year.year}>
                            <Table.Td p={0}>
                              <Text size="xs">Y{year.year}</Text>
                            </Table.Td>
                            <Table.Td p={0} ta="right">
                              <Text size="xs">{money(year.amount, data.currency)}</Text>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                    <Text size="lg" fw={700} mt={4}>
                      {money(option.total.amount, option.total.currency)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('room.total')}
                      {option.effectiveDiscountBps > 0
                        ? ` · ${t('room.discount', { pct: percent(option.effectiveDiscountBps / 10_000) })}`
                        : ''}
                    </Text>
                    <Group gap={4} mt={6}>
                      <Text size="xs" fw={600}>
                        {t('room.approvalsNeeded')}:
                      </Text>
                      {option.requiredApprovals.map((role) => (
                        <Badge key={role} size="xs" color="gray.8" variant="outline">
                          {role.replace(/_/g, ' ')}
                        </Badge>
                      ))}
                    </Group>
                    {option.incentives.map((incentive) => (
                      <Text key={incentive.label} size="xs" mt={2}>
                        + {incentive.label}
                      </Text>
                    ))}
                    {option.warnings.map((warning) => (
                      <Text key={warning} size="xs" c="#a63c06" mt={2}>
                        {warning}
                      </Text>
                    ))}
                    {editable ? (
                      <Button
                        mt="xs"
                        size="xs"
                        variant={isChosen ? 'filled' : 'default'}
                        role="radio"
                        aria-checked={isChosen}
                        aria-label={t('room.choose', { label: option.label })}
                        onClick={() => setChosen(option.key)}
                      >
                        {isChosen ? t('room.chosen') : t('room.chooseShort')}
                      </Button>
                    ) : null}
                  </Card>
                );
              })}
            </SimpleGrid>
            {data.warnings.length > 0 ? (
              <Alert color="gray" variant="light">
                {data.warnings.map((warning) => (
                  <Text key={warning} size="xs">
                    {warning}
                  </Text>
                ))}
              </Alert>
            ) : null}
          </>
        )}
      </QueryView>
      {canEdit ? (
        <Group>
          {editable ? (
            <>
              <Button
                variant="default"
                onClick={() => save.mutate({ submit: false })}
                loading={save.isPending}
                disabled={!selected}
              >
                {t('room.saveDraft')}
              </Button>
              <Button
                onClick={() => save.mutate({ submit: true })}
                loading={save.isPending}
                disabled={!selected}
              >
                {t('room.submit')}
              </Button>
            </>
          ) : null}
          {current?.status === 'approved' ? (
            <Button onClick={() => send.mutate(current.sequence)} loading={send.isPending}>
              {t('room.send')}
            </Button>
          ) : null}
        </Group>
      ) : null}
    </Stack>
  );
}
