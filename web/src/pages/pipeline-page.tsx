/**
 * The renewal pipeline: a server-side paged, sorted and filtered table (keyset pages, so thousands of
 * rows cost one page at a time) with saved views, and a board by stage where a card is dragged (or
 * moved with its stage menu) to change the stage under If-Match — a 409 says someone else changed it.
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useMemo, useState } from 'react';
import { ApiProblem, api, call, type Renewal } from '../api/client.ts';
import {
  DEFAULT_PIPELINE_FILTERS,
  type PipelineFilters,
  type PipelineSort,
  pipelineFilterQuery,
  pipelinePageQuery,
} from '../api/page-queries.ts';
import { usersQuery, workspaceQuery } from '../api/queries.ts';
import { RenewalLink } from '../components/renewal-list.tsx';
import {
  BandBadge,
  CategoryBadge,
  Empty,
  flagText,
  QueryView,
  RiskFlags,
  useUserName,
} from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

const RISK_FLAGS = [
  'health_red',
  'usage_decline',
  'low_adoption',
  'single_threaded',
  'no_executive_sponsor',
  'champion_left',
  'key_contact_left',
  'competitor_evaluation',
  'leadership_change',
  'acquisition',
  'budget_freeze',
  'negative_sentiment',
  'support_escalations',
  'major_incident',
  'stale_contact',
];
const WINDOWS = ['30', '90', '180', '365', 'overdue'] as const;
type Filters = PipelineFilters;
type SortKey = PipelineSort;
type SavedView = { name: string; filters: Filters };
const VIEWS_KEY = 'perennial.pipeline.views';

function loadViews(): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(VIEWS_KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as SavedView[]) : [];
  } catch {
    return [];
  }
}

function FilterBar({
  filters,
  onChange,
  stages,
}: {
  filters: Filters;
  onChange: (filters: Filters) => void;
  stages: readonly string[];
}) {
  const { t } = useI18n();
  const users = useQuery(usersQuery);
  const owners = (users.data?.items ?? [])
    .filter((user) => ['csm', 'sales', 'specialist', 'manager'].includes(user.role))
    .map((user) => ({ value: user.userId, label: user.name }));
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <FilterSelect
        label={t('pipeline.dueWindow')}
        w={160}
        options={WINDOWS.map((value) => ({ value, label: t(`pipeline.window.${value}` as MessageKey) }))}
        value={filters.window}
        onChange={(value) => set({ window: value ?? '90' })}
      />
      <FilterSelect
        label={t('common.segment')}
        w={150}
        anyLabel={t('common.all')}
        options={['enterprise', 'mid_market', 'smb'].map((value) => ({
          value,
          label: t(`segment.${value}` as MessageKey),
        }))}
        value={filters.segment}
        onChange={(value) => set({ segment: value })}
      />
      <FilterSelect
        label={t('pipeline.band')}
        w={130}
        anyLabel={t('common.all')}
        options={['green', 'yellow', 'red'].map((value) => ({
          value,
          label: t(`band.${value}` as MessageKey),
        }))}
        value={filters.band}
        onChange={(value) => set({ band: value })}
      />
      <FilterSelect
        label={t('common.owner')}
        w={180}
        anyLabel={t('common.all')}
        options={[{ value: 'me', label: t('common.me') }, ...owners]}
        value={filters.owner}
        onChange={(value) => set({ owner: value })}
      />
      <FilterSelect
        label={t('common.stage')}
        w={150}
        anyLabel={t('common.all')}
        options={stages.map((value) => ({ value, label: flagText(value) }))}
        value={filters.stage}
        onChange={(value) => set({ stage: value })}
      />
      <FilterSelect
        label={t('pipeline.riskFlag')}
        w={190}
        anyLabel={t('common.all')}
        options={RISK_FLAGS.map((value) => ({ value, label: flagText(value) }))}
        value={filters.riskFlag}
        onChange={(value) => set({ riskFlag: value })}
      />
    </Group>
  );
}

/**
 * One filter of the bar: the browser's own select (keyboard and type-ahead for free, and no floating
 * dropdown to build and position for each of six filters when the page opens). `anyLabel` adds the
 * "no filter" choice.
 */
function FilterSelect({
  label,
  w,
  options,
  value,
  anyLabel,
  onChange,
}: {
  label: string;
  w: number;
  options: { value: string; label: string }[];
  value: string | null;
  anyLabel?: string;
  onChange: (value: string | null) => void;
}) {
  return (
    <NativeSelect
      label={label}
      w={w}
      data={anyLabel === undefined ? options : [{ value: '', label: anyLabel }, ...options]}
      value={value ?? ''}
      onChange={(event) => onChange(event.currentTarget.value || null)}
    />
  );
}

function SavedViews({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const { t } = useI18n();
  const [views, setViews] = useState<SavedView[]>(loadViews);
  const [name, setName] = useState('');
  const store = (next: SavedView[]) => {
    window.localStorage.setItem(VIEWS_KEY, JSON.stringify(next));
    setViews(next);
  };
  return (
    <Group gap="xs" align="flex-end">
      {views.length > 0 ? (
        <Group gap={4} role="list" aria-label={t('pipeline.savedViews')}>
          {views.map((view) => (
            <Badge
              key={view.name}
              role="listitem"
              variant="outline"
              color="teal.9"
              size="lg"
              style={{ textTransform: 'none' }}
              rightSection={
                <ActionIcon
                  size="xs"
                  variant="transparent"
                  color="gray.8"
                  aria-label={t('pipeline.deleteView', { name: view.name })}
                  onClick={() => store(views.filter((v) => v.name !== view.name))}
                >
                  ×
                </ActionIcon>
              }
            >
              <UnstyledButton onClick={() => onApply(view.filters)} fz="sm">
                {view.name}
              </UnstyledButton>
            </Badge>
          ))}
        </Group>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!name.trim()) return;
          store([...views.filter((v) => v.name !== name.trim()), { name: name.trim(), filters }]);
          setName('');
        }}
      >
        <Group gap={4} align="flex-end">
          <TextInput
            size="xs"
            label={t('pipeline.viewName')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Button size="xs" type="submit" variant="default">
            {t('pipeline.saveView')}
          </Button>
        </Group>
      </form>
    </Group>
  );
}

function SortHeader({
  label,
  sortKey,
  filters,
  onChange,
  align,
}: {
  label: string;
  sortKey: SortKey;
  filters: Filters;
  onChange: (f: Filters) => void;
  align?: 'right';
}) {
  const active = filters.sort === sortKey;
  return (
    <Table.Th ta={align} aria-sort={active ? (filters.descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton
        fw={700}
        fz="sm"
        onClick={() =>
          onChange({
            ...filters,
            sort: sortKey,
            descending: active ? !filters.descending : sortKey !== 'dueDate' && sortKey !== 'accountName',
          })
        }
      >
        {label} {active ? (filters.descending ? '↓' : '↑') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

function PipelineTable({
  filters,
  onChange,
  today,
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  today: string;
}) {
  const { t, date, money, percent } = useI18n();
  const userName = useUserName();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const cursor = cursors[page] ?? null;
  const key = JSON.stringify(filters);
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    setCursors([null]);
  }
  const list = useQuery({ ...pipelinePageQuery(filters, today, cursor), placeholderData: keepPreviousData });
  return (
    <QueryView query={list}>
      {(data) => (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover verticalSpacing={6} data-testid="pipeline-table">
              <Table.Thead>
                <Table.Tr>
                  <SortHeader
                    label={t('common.account')}
                    sortKey="accountName"
                    filters={filters}
                    onChange={onChange}
                  />
                  <SortHeader
                    label={t('common.due')}
                    sortKey="dueDate"
                    filters={filters}
                    onChange={onChange}
                  />
                  <SortHeader
                    label={t('common.arr')}
                    sortKey="arr"
                    filters={filters}
                    onChange={onChange}
                    align="right"
                  />
                  <SortHeader
                    label={t('common.health')}
                    sortKey="health"
                    filters={filters}
                    onChange={onChange}
                  />
                  <Table.Th>{t('common.stage')}</Table.Th>
                  <Table.Th>{t('common.owner')}</Table.Th>
                  <SortHeader
                    label={t('common.probability')}
                    sortKey="probability"
                    filters={filters}
                    onChange={onChange}
                    align="right"
                  />
                  <Table.Th>{t('common.category')}</Table.Th>
                  <Table.Th>{t('common.risk')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((renewal) => (
                  <Table.Tr key={renewal.contractId}>
                    <Table.Td>
                      <RenewalLink renewal={renewal} />
                    </Table.Td>
                    <Table.Td>{date(renewal.dueDate)}</Table.Td>
                    <Table.Td ta="right">{money(renewal.arr.amount, renewal.arr.currency)}</Table.Td>
                    <Table.Td>
                      <BandBadge band={renewal.health.band} score={renewal.health.score} />
                    </Table.Td>
                    <Table.Td>{renewal.stage ? flagText(renewal.stage) : t('common.noStage')}</Table.Td>
                    <Table.Td>{userName(renewal.owner.userId)}</Table.Td>
                    <Table.Td ta="right">{percent(renewal.probability, 0)}</Table.Td>
                    <Table.Td>
                      <CategoryBadge category={renewal.forecast.category} />
                    </Table.Td>
                    <Table.Td>
                      <RiskFlags flags={renewal.riskFlags} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {data.items.length === 0 ? <Empty>{t('common.none')}</Empty> : null}
          <Group justify="space-between">
            <Button
              variant="default"
              size="xs"
              disabled={page === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              {t('pipeline.prev')}
            </Button>
            <Text size="sm">{t('pipeline.page', { page: page + 1 })}</Text>
            <Button
              variant="default"
              size="xs"
              disabled={!data.nextCursor}
              onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
            >
              {t('pipeline.next')}
            </Button>
          </Group>
        </>
      )}
    </QueryView>
  );
}

type BoardPage = { items: Renewal[]; nextCursor: string | null };

function PipelineBoard({
  filters,
  today,
  stages,
  canMove,
}: {
  filters: Filters;
  today: string;
  stages: readonly string[];
  canMove: boolean;
}) {
  const { t, money, date } = useI18n();
  const queryClient = useQueryClient();
  const queryKey = ['renewals', 'board', filters, today];
  const [notice, setNotice] = useState<{ color: string; text: string } | null>(null);
  const [dragOver, setDragOver] = useState<string | null>(null);
  const board = useQuery({
    queryKey,
    queryFn: () =>
      call(
        api.GET('/api/v1/renewals', {
          params: { query: { ...pipelineFilterQuery(filters, today), sort: 'dueDate', limit: 200 } },
        }),
      ),
  });
  const move = useMutation({
    mutationFn: ({ renewal, stage }: { renewal: Renewal; stage: string | null }) =>
      call(
        api.PATCH('/api/v1/renewals/{contractId}', {
          params: {
            path: { contractId: renewal.contractId },
            header: { 'if-match': `"${renewal.version}"` },
          },
          body: { stage },
        }),
      ),
    onMutate: async ({ renewal, stage }) => {
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData<BoardPage>(queryKey);
      queryClient.setQueryData<BoardPage>(queryKey, (old) =>
        old
          ? {
              ...old,
              items: old.items.map((r) => (r.contractId === renewal.contractId ? { ...r, stage } : r)),
            }
          : old,
      );
      return { previous };
    },
    onSuccess: (_data, { renewal, stage }) =>
      setNotice({
        color: 'green',
        text: t('pipeline.moved', {
          account: renewal.accountName,
          stage: stage ? flagText(stage) : t('common.noStage'),
        }),
      }),
    onError: (error, { renewal }, context) => {
      if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
      if (error instanceof ApiProblem && error.status === 409) {
        setNotice({
          color: 'orange',
          text: t('pipeline.conflict', {
            account: renewal.accountName,
            version: String(error.detail.currentVersion ?? '?'),
          }),
        });
      } else {
        setNotice({
          color: 'red',
          text: t('pipeline.forbidden', { account: renewal.accountName, detail: error.message }),
        });
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['renewals'] }),
  });
  const columns = useMemo(() => {
    const known = [null, ...stages];
    const extra = new Set(
      (board.data?.items ?? [])
        .map((r) => r.stage)
        .filter((s): s is string => s !== null && !stages.includes(s)),
    );
    return [...known, ...extra];
  }, [board.data, stages]);

  const drop = (event: DragEvent, stage: string | null) => {
    event.preventDefault();
    setDragOver(null);
    const id = event.dataTransfer.getData('text/plain');
    const renewal = board.data?.items.find((r) => r.contractId === id);
    if (renewal && renewal.stage !== stage) move.mutate({ renewal, stage });
  };

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('pipeline.dragHint')}
      </Text>
      {notice ? (
        <Alert
          color={notice.color}
          role={notice.color === 'green' ? 'status' : 'alert'}
          withCloseButton
          onClose={() => setNotice(null)}
        >
          {notice.text}
        </Alert>
      ) : null}
      <QueryView query={board}>
        {(data) => (
          <ScrollArea type="auto" offsetScrollbars>
            <Group align="flex-start" wrap="nowrap" gap="sm">
              {columns.map((stage) => {
                const cards = data.items.filter((r) => r.stage === stage);
                const label = stage ? flagText(stage) : t('common.noStage');
                const total = cards.reduce((sum, r) => sum + Number(r.arr.amount), 0);
                return (
                  <Paper
                    key={stage ?? 'none'}
                    withBorder
                    p="xs"
                    w={240}
                    miw={240}
                    bg={dragOver === (stage ?? '') ? 'teal.0' : 'gray.0'}
                    onDragOver={(event) => {
                      if (!canMove) return;
                      event.preventDefault();
                      setDragOver(stage ?? '');
                    }}
                    onDragLeave={() => setDragOver(null)}
                    onDrop={(event) => drop(event, stage)}
                    data-stage={stage ?? ''}
                    aria-label={label}
                    component="section"
                  >
                    <Group justify="space-between" mb={6}>
                      <Title order={2} size="h6">
                        {label}
                      </Title>
                      <Badge color="gray.8" variant="outline" size="sm">
                        {cards.length}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed" mb={6}>
                      Σ {money(total, cards[0]?.arr.currency ?? 'USD', { compact: true })}
                    </Text>
                    <ScrollArea.Autosize mah={560} type="auto" offsetScrollbars>
                      <Stack gap={6}>
                        {cards.map((renewal) => (
                          <Paper
                            key={renewal.contractId}
                            withBorder
                            p={6}
                            draggable={canMove}
                            onDragStart={(event: DragEvent) =>
                              event.dataTransfer.setData('text/plain', renewal.contractId)
                            }
                            style={{ cursor: canMove ? 'grab' : 'default' }}
                            data-testid={`card-${renewal.contractId}`}
                          >
                            <RenewalLink renewal={renewal} />
                            <Group justify="space-between" gap={4}>
                              <Text size="xs">{date(renewal.dueDate)}</Text>
                              <Text size="xs" fw={600}>
                                {money(renewal.arr.amount, renewal.arr.currency, { compact: true })}
                              </Text>
                            </Group>
                            <Group gap={4} mt={4}>
                              <BandBadge band={renewal.health.band} />
                              <CategoryBadge category={renewal.forecast.category} />
                            </Group>
                            {canMove ? (
                              <Select
                                mt={4}
                                size="xs"
                                aria-label={`${t('pipeline.moveTo')}: ${renewal.accountName}`}
                                placeholder={t('pipeline.moveTo')}
                                data={columns
                                  .filter((s) => s !== stage)
                                  .map((s) => ({
                                    value: s ?? '',
                                    label: s ? flagText(s) : t('common.noStage'),
                                  }))}
                                value={null}
                                onChange={(value) =>
                                  value !== null && move.mutate({ renewal, stage: value || null })
                                }
                              />
                            ) : null}
                          </Paper>
                        ))}
                      </Stack>
                    </ScrollArea.Autosize>
                  </Paper>
                );
              })}
            </Group>
          </ScrollArea>
        )}
      </QueryView>
    </Stack>
  );
}

export function PipelinePage() {
  const { t } = useI18n();
  const { data: workspace } = useQuery(workspaceQuery);
  const [filters, setFilters] = useState<Filters>(DEFAULT_PIPELINE_FILTERS);
  const [tab, setTab] = useState<string | null>('table');
  if (!workspace) return null;
  const canMove = ['admin', 'manager', 'csm', 'sales', 'specialist'].includes(workspace.user.role);
  return (
    <Stack gap="md">
      <Title order={1}>{t('pipeline.title')}</Title>
      <FilterBar filters={filters} onChange={setFilters} stages={workspace.stages} />
      <SavedViews filters={filters} onApply={setFilters} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="table">{t('pipeline.table')}</Tabs.Tab>
          <Tabs.Tab value="board">{t('pipeline.board')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="table" pt="sm">
          <PipelineTable filters={filters} onChange={setFilters} today={workspace.today} />
        </Tabs.Panel>
        <Tabs.Panel value="board" pt="sm">
          <PipelineBoard
            filters={filters}
            today={workspace.today}
            stages={workspace.stages}
            canMove={canMove}
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
