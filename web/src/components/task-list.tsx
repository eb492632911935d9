/**
 * Playbook tasks with complete (optionally logging the hours spent), snooze (to a chosen date) and
 * reassign (managers and admins) inline; a done task shows its logged against its planned hours.
 * Each change names the version it was based on; a 409 says someone else changed the task first and
 * the list is reloaded.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Popover,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Dispatch, type FormEvent, type ReactNode, type SetStateAction, useState } from 'react';
import { ApiProblem, api, call, type Task } from '../api/client.ts';
import { usersQuery, workspaceQuery } from '../api/queries.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { addDays } from '../periods.ts';
import { RoomLink } from './renewal-list.tsx';
import { Empty } from './ui.tsx';

/** Roles the API lets reassign a task (POST /tasks/{id}/reassign). */
const REASSIGNING_ROLES = ['admin', 'manager'];
/** The hours the API accepts on one task (POST /tasks/{id}/complete spentHours). */
const MAX_SPENT_HOURS = 200;

type Change =
  | { task: Task; action: 'complete'; spentHours?: number }
  | { task: Task; action: 'snooze'; until: string }
  | { task: Task; action: 'reassign'; ownerUserId: string };

/** A task action that opens a small form: a text button naming the action and the task. */
function TaskActionPopover({
  label,
  taskTitle,
  busy,
  opened,
  setOpened,
  children,
}: {
  label: string;
  taskTitle: string;
  busy: boolean;
  opened: boolean;
  setOpened: Dispatch<SetStateAction<boolean>>;
  children: ReactNode;
}) {
  return (
    <Popover opened={opened} onChange={setOpened} trapFocus position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <Button
          size="xs"
          variant="default"
          loading={busy}
          onClick={() => setOpened((open) => !open)}
          aria-label={`${label}: ${taskTitle}`}
        >
          {label}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>{children}</Popover.Dropdown>
    </Popover>
  );
}

function SnoozeControl({
  task,
  today,
  busy,
  onSnooze,
}: {
  task: Task;
  today: string;
  busy: boolean;
  onSnooze: (until: string) => void;
}) {
  const { t } = useI18n();
  const earliest = addDays(task.dueDate, 1);
  const [opened, setOpened] = useState(false);
  const [until, setUntil] = useState(addDays(task.dueDate > today ? task.dueDate : today, 7));
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(until) && until >= earliest;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setOpened(false);
    onSnooze(until);
  };
  return (
    <TaskActionPopover
      label={t('task.snooze')}
      taskTitle={task.title}
      busy={busy}
      opened={opened}
      setOpened={setOpened}
    >
      <form onSubmit={submit}>
        <Stack gap="xs">
          <TextInput
            type="date"
            label={t('task.snoozeUntil')}
            value={until}
            min={earliest}
            onChange={(event) => setUntil(event.currentTarget.value)}
            error={valid ? undefined : t('task.snoozeAfter', { date: earliest })}
            data-autofocus
          />
          <Button type="submit" size="xs" disabled={!valid}>
            {t('task.snoozeConfirm')}
          </Button>
        </Stack>
      </form>
    </TaskActionPopover>
  );
}

/** Logged against planned hours of a task, e.g. "3 h of 4 h planned"; nothing when neither is known. */
export function TaskHours({ task }: { task: Pick<Task, 'spentHours' | 'estimateHours'> }) {
  const { t, number } = useI18n();
  const spent = task.spentHours;
  const estimate = task.estimateHours;
  if (spent === null && estimate === null) return null;
  const text =
    spent !== null && estimate !== null
      ? t('task.hoursOfPlanned', { spent: number(spent, 2), estimate: number(estimate, 2) })
      : spent !== null
        ? t('task.hoursLogged', { spent: number(spent, 2) })
        : t('task.hoursPlanned', { estimate: number(estimate, 2) });
  return (
    <Text
      span
      size="xs"
      c={spent !== null && estimate !== null && spent > estimate ? 'orange.9' : 'dimmed'}
      data-testid="task-hours"
    >
      {text}
    </Text>
  );
}

/** Completes the task with the hours it took (optional; the plain Complete button logs none). */
function CompleteWithHoursControl({
  task,
  busy,
  onComplete,
}: {
  task: Task;
  busy: boolean;
  onComplete: (spentHours: number) => void;
}) {
  const { t, number } = useI18n();
  const [opened, setOpened] = useState(false);
  const [hours, setHours] = useState<string | number>('');
  const value = typeof hours === 'number' ? hours : Number.NaN;
  const valid = Number.isFinite(value) && value >= 0 && value <= MAX_SPENT_HOURS;
  return (
    <Popover opened={opened} onChange={setOpened} trapFocus position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <Button
          size="xs"
          px={6}
          variant="filled"
          disabled={busy}
          onClick={() => setOpened((open) => !open)}
          aria-label={`${t('task.completeWithHours')}: ${task.title}`}
          title={t('task.completeWithHours')}
          style={{ borderLeft: '1px solid rgba(255, 255, 255, 0.45)' }}
        >
          <span aria-hidden="true">▾</span>
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!valid) return;
            setOpened(false);
            onComplete(value);
          }}
        >
          <Stack gap="xs" w={220}>
            <NumberInput
              label={t('task.spentHours')}
              description={
                task.estimateHours === null
                  ? undefined
                  : t('task.hoursPlanned', { estimate: number(task.estimateHours, 2) })
              }
              value={hours}
              onChange={setHours}
              min={0}
              max={MAX_SPENT_HOURS}
              step={0.25}
              decimalScale={2}
              error={hours === '' || valid ? undefined : t('task.spentHoursRange', { max: MAX_SPENT_HOURS })}
              data-autofocus
            />
            <Button type="submit" size="xs" disabled={!valid}>
              {t('task.complete')}
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

function ReassignControl({
  task,
  busy,
  onReassign,
}: {
  task: Task;
  busy: boolean;
  onReassign: (ownerUserId: string) => void;
}) {
  const { t } = useI18n();
  const users = useQuery(usersQuery);
  const [opened, setOpened] = useState(false);
  const [owner, setOwner] = useState<string | null>(null);
  const people = (users.data?.items ?? [])
    .filter((user) => !user.disabled && user.userId !== task.ownerUserId)
    .map((user) => ({ value: user.userId, label: user.name }));
  return (
    <TaskActionPopover
      label={t('task.reassign')}
      taskTitle={task.title}
      busy={busy}
      opened={opened}
      setOpened={setOpened}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!owner) return;
          setOpened(false);
          onReassign(owner);
        }}
      >
        <Stack gap="xs" w={240}>
          <Select
            label={t('task.reassignTo')}
            data={people}
            value={owner}
            onChange={setOwner}
            searchable
            comboboxProps={{ withinPortal: false }}
            data-autofocus
          />
          <Button type="submit" size="xs" disabled={!owner}>
            {t('task.reassign')}
          </Button>
        </Stack>
      </form>
    </TaskActionPopover>
  );
}

export function TaskList({
  tasks,
  today,
  empty,
  showRenewal = true,
}: {
  tasks: readonly Task[];
  today: string;
  empty: string;
  showRenewal?: boolean;
}) {
  const { t, date, number } = useI18n();
  const queryClient = useQueryClient();
  const { data: workspace } = useQuery(workspaceQuery);
  const users = useQuery(usersQuery);
  const canReassign = REASSIGNING_ROLES.includes(workspace?.user.role ?? '');
  const personOf = (userId: string) =>
    users.data?.items.find((user) => user.userId === userId)?.name ?? userId;
  const [notice, setNotice] = useState<{ tone: 'ok' | 'conflict' | 'error'; text: string } | null>(null);
  const change = useMutation({
    mutationFn: async (request: Change) => {
      const params = { path: { taskId: String(request.task.id) } };
      const version = request.task.version;
      switch (request.action) {
        case 'complete':
          return call(
            api.POST('/api/v1/tasks/{taskId}/complete', {
              params,
              body:
                request.spentHours === undefined ? { version } : { version, spentHours: request.spentHours },
            }),
          );
        case 'snooze':
          return call(
            api.POST('/api/v1/tasks/{taskId}/snooze', { params, body: { version, until: request.until } }),
          );
        case 'reassign':
          return call(
            api.POST('/api/v1/tasks/{taskId}/reassign', {
              params,
              body: { version, ownerUserId: request.ownerUserId },
            }),
          );
      }
    },
    onSuccess: (_task, request) =>
      setNotice({
        tone: 'ok',
        text:
          request.action === 'complete'
            ? request.spentHours === undefined
              ? t('task.completed', { title: request.task.title })
              : t('task.completedWithHours', {
                  title: request.task.title,
                  hours: number(request.spentHours, 2),
                })
            : request.action === 'snooze'
              ? t('task.snoozed', { title: request.task.title, date: date(request.until) })
              : t('task.reassigned', { title: request.task.title, name: personOf(request.ownerUserId) }),
      }),
    onError: (error) =>
      setNotice(
        error instanceof ApiProblem && error.status === 409
          ? { tone: 'conflict', text: t('task.conflict') }
          : { tone: 'error', text: String(error.message) },
      ),
    onSettled: async (_data, _error, { task }) => {
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
      await queryClient.invalidateQueries({ queryKey: ['renewal', task.contractId] });
    },
  });

  return (
    <Stack gap="xs">
      {notice ? (
        <Alert
          color={notice.tone === 'ok' ? 'teal' : notice.tone === 'conflict' ? 'orange' : 'red'}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setNotice(null)}
          py={6}
        >
          {notice.text}
        </Alert>
      ) : null}
      {tasks.length === 0 ? <Empty>{empty}</Empty> : null}
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
                    {done ? <TaskHours task={task} /> : null}
                    {showRenewal ? (
                      <RoomLink contractId={task.contractId} size="xs" underline="always">
                        {task.accountName}
                      </RoomLink>
                    ) : null}
                  </Group>
                </div>
                {done ? null : (
                  <Group gap={6} wrap="nowrap">
                    <Button.Group>
                      <Button
                        size="xs"
                        variant="filled"
                        loading={busy && change.variables?.action === 'complete'}
                        disabled={busy}
                        onClick={() => change.mutate({ task, action: 'complete' })}
                        aria-label={`${t('task.complete')}: ${task.title}`}
                      >
                        {t('task.complete')}
                      </Button>
                      <CompleteWithHoursControl
                        task={task}
                        busy={busy}
                        onComplete={(spentHours) => change.mutate({ task, action: 'complete', spentHours })}
                      />
                    </Button.Group>
                    <SnoozeControl
                      task={task}
                      today={today}
                      busy={busy && change.variables?.action === 'snooze'}
                      onSnooze={(until) => change.mutate({ task, action: 'snooze', until })}
                    />
                    {canReassign ? (
                      <ReassignControl
                        task={task}
                        busy={busy && change.variables?.action === 'reassign'}
                        onReassign={(ownerUserId) => change.mutate({ task, action: 'reassign', ownerUserId })}
                      />
                    ) : null}
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
