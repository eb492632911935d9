/** Playbook tasks with complete and snooze inline (each change names the version it was based on). */
import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, api, call, type Task } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { addDays } from '../periods.ts';
import { RoomLink } from './renewal-list.tsx';
import { Empty } from './ui.tsx';

export function TaskList({
  tasks,
  today,
  names = new Map(),
  empty,
  showRenewal = true,
}: {
  tasks: readonly Task[];
  today: string;
  names?: ReadonlyMap<string, string>;
  empty: string;
  showRenewal?: boolean;
}) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const unknown = showRenewal
    ? [...new Set(tasks.map((task) => task.contractId))].filter((id) => !names.has(id))
    : [];
  const looked = useQueries({
    queries: unknown.map((contractId) => ({
      queryKey: ['renewal', contractId],
      queryFn: () => call(api.GET('/api/v1/renewals/{contractId}', { params: { path: { contractId } } })),
      staleTime: 60_000,
    })),
  });
  const nameOf = (contractId: string) =>
    names.get(contractId) ??
    looked.find((query) => query.data?.contractId === contractId)?.data?.accountName ??
    contractId;
  const [notice, setNotice] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: async ({ task, action }: { task: Task; action: 'complete' | 'snooze' }) => {
      const params = { path: { taskId: String(task.id) } };
      if (action === 'complete') {
        return call(api.POST('/api/v1/tasks/{taskId}/complete', { params, body: { version: task.version } }));
      }
      const from = task.dueDate > today ? task.dueDate : today;
      return call(
        api.POST('/api/v1/tasks/{taskId}/snooze', {
          params,
          body: { version: task.version, until: addDays(from, 7) },
        }),
      );
    },
    onSuccess: () => setNotice(null),
    onError: (error) =>
      setNotice(
        error instanceof ApiProblem && error.status === 409 ? t('task.conflict') : String(error.message),
      ),
    onSettled: async (_data, _error, { task }) => {
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
      await queryClient.invalidateQueries({ queryKey: ['renewal', task.contractId] });
    },
  });

  if (tasks.length === 0) return <Empty>{empty}</Empty>;
  return (
    <Stack gap="xs">
      {notice ? (
        <Alert color="orange" role="status">
          {notice}
        </Alert>
      ) : null}
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {tasks.map((task) => {
          const done = task.status === 'done';
          const overdue = !done && task.dueDate < today;
          const busy = change.isPending && change.variables?.task.id === task.id;
          return (
            <li key={task.id} data-testid={`task-${task.id}`}>
              <Group
                justify="space-between"
                py={6}
                wrap="nowrap"
                style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              >
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600} td={done ? 'line-through' : undefined}>
                    {task.title}
                  </Text>
                  <Group gap={6}>
                    {overdue ? (
                      <Badge color="red.9" size="xs">
                        {t('task.overdue')}
                      </Badge>
                    ) : null}
                    {done ? (
                      <Badge color="#1b6b2c" size="xs">
                        {t('task.done')}
                      </Badge>
                    ) : null}
                    <Text size="xs" c="dimmed">
                      {task.milestone} · {t('common.due')} {date(task.dueDate)}
                    </Text>
                    {showRenewal ? (
                      <RoomLink contractId={task.contractId} size="xs" underline="always">
                        {nameOf(task.contractId)}
                      </RoomLink>
                    ) : null}
                  </Group>
                </div>
                {done ? null : (
                  <Group gap={6} wrap="nowrap">
                    <Button
                      size="xs"
                      variant="filled"
                      loading={busy && change.variables?.action === 'complete'}
                      onClick={() => change.mutate({ task, action: 'complete' })}
                      aria-label={`${t('task.complete')}: ${task.title}`}
                    >
                      {t('task.complete')}
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      loading={busy && change.variables?.action === 'snooze'}
                      onClick={() => change.mutate({ task, action: 'snooze' })}
                      aria-label={`${t('task.snooze')}: ${task.title}`}
                    >
                      {t('task.snooze')}
                    </Button>
                  </Group>
                )}
              </Group>
            </li>
          );
        })}
      </ul>
    </Stack>
  );
}
