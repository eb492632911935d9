/**
 * The playbook library: email templates, talk tracks, meeting agendas and objection handling by
 * milestone. Everyone reads it; managers and admins edit an entry (under its version) or reset it to
 * the built-in text.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Spoiler,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiProblem, api, call, type Schemas } from '../api/client.ts';
import { playbookQuery, workspaceQuery } from '../api/queries.ts';
import { Empty, ProblemAlert, QueryView, useUserName } from '../components/ui.tsx';
import { LOCALE_NAMES, type Locale, useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

type PlaybookEntry = Schemas['PlaybookEntry'];

const PLAYBOOK_MILESTONES = [
  'T-180',
  'T-150',
  'T-120',
  'T-90',
  'T-60',
  'T-45',
  'T-30',
  'T-14',
  'T-7',
  'T-0',
  'T+0',
] as const;
const PLAYBOOK_KINDS = ['email_template', 'talk_track', 'agenda', 'objection'] as const;
const EDITORS = ['admin', 'manager'];

const KIND_COLORS: Record<string, string> = {
  email_template: 'blue.8',
  talk_track: 'teal.9',
  agenda: 'violet.8',
  objection: '#a63c06',
};

export function KindBadge({ kind }: { kind: string }) {
  const { t } = useI18n();
  return (
    <Badge color={KIND_COLORS[kind] ?? 'gray.7'} autoContrast size="sm" miw="max-content">
      {t(`playbook.kind.${kind}` as MessageKey)}
    </Badge>
  );
}

function EntryEditor({
  entry,
  notice,
  onClose,
  onStale,
}: {
  entry: PlaybookEntry;
  /** Shown above the form: why the text was reloaded. */
  notice: string | null;
  onClose: () => void;
  /** Someone else saved first: reopen on their text. */
  onStale: (fresh: PlaybookEntry | undefined) => void;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(entry.title);
  const [milestone, setMilestone] = useState<string | null>(entry.milestone);
  const [body, setBody] = useState(entry.body);
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/v1/playbook/{entryId}', {
          params: { path: { entryId: entry.id }, header: { 'if-match': `"${entry.version}"` } },
          body: {
            title,
            body,
            milestone: milestone as (typeof PLAYBOOK_MILESTONES)[number] | null,
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['playbook'] });
      onClose();
    },
    onError: async (error) => {
      if (!(error instanceof ApiProblem && error.status === 409)) return;
      await queryClient.invalidateQueries({ queryKey: ['playbook'] });
      const fresh = await queryClient.fetchQuery(playbookQuery());
      onStale(fresh.items.find((candidate) => candidate.id === entry.id));
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput
          label={t('playbook.title')}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          required
          maxLength={200}
          error={title.trim() === '' ? t('playbook.required') : undefined}
        />
        <Select
          label={t('playbook.milestone')}
          data={PLAYBOOK_MILESTONES.map((value) => ({ value, label: value }))}
          value={milestone}
          onChange={setMilestone}
          clearable
          placeholder={t('playbook.anyTime')}
        />
        <Textarea
          label={t('playbook.body')}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          autosize
          minRows={8}
          maxRows={20}
          required
          maxLength={20_000}
          error={body.trim() === '' ? t('playbook.required') : undefined}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        />
        {notice ? (
          <Alert color="orange" role="alert">
            {notice}
          </Alert>
        ) : null}
        {save.error && !(save.error instanceof ApiProblem && save.error.status === 409) ? (
          <ProblemAlert error={save.error} />
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!title.trim() || !body.trim()}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function EntryCard({
  entry,
  canEdit,
  onEdit,
}: {
  entry: PlaybookEntry;
  canEdit: boolean;
  onEdit: (entry: PlaybookEntry) => void;
}) {
  const { t, dateTime } = useI18n();
  const userName = useUserName();
  const queryClient = useQueryClient();
  const reset = useMutation({
    mutationFn: () =>
      call(
        api.DELETE('/api/v1/playbook/{entryId}', {
          params: { path: { entryId: entry.id }, header: { 'if-match': `"${entry.version}"` } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['playbook'] }),
  });
  const headingId = `playbook-${entry.id}`;
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="article"
      aria-labelledby={headingId}
      data-testid={headingId}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={3} size="h5" id={headingId} lang={entry.language}>
            {entry.title}
          </Title>
          <Group gap={6} mt={4}>
            <KindBadge kind={entry.kind} />
            <Badge color="gray.8" variant="outline" size="sm">
              {entry.milestone ?? t('playbook.anyTime')}
            </Badge>
            <Badge color="gray.8" variant="outline" size="sm">
              {LOCALE_NAMES[entry.language as Locale] ?? entry.language}
            </Badge>
            {entry.edited ? (
              <Badge color="yellow.4" autoContrast size="sm">
                {t('playbook.edited')}
              </Badge>
            ) : null}
          </Group>
        </div>
        {canEdit ? (
          <Group gap={6} wrap="nowrap">
            <Button
              size="xs"
              onClick={() => onEdit(entry)}
              aria-label={`${t('playbook.edit')}: ${entry.title}`}
            >
              {t('playbook.edit')}
            </Button>
            {entry.edited ? (
              <Button
                size="xs"
                variant="default"
                loading={reset.isPending}
                onClick={() => reset.mutate()}
                aria-label={`${t('playbook.reset')}: ${entry.title}`}
              >
                {t('playbook.reset')}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Group>
      {entry.automatedEmail ? (
        <Text size="xs" c="dimmed" mt={6}>
          {t('playbook.automated', { template: entry.automatedEmail })}
        </Text>
      ) : null}
      <Spoiler maxHeight={140} showLabel={t('playbook.more')} hideLabel={t('playbook.less')} mt="xs">
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lang={entry.language}>
          {entry.body}
        </Text>
      </Spoiler>
      {entry.edited && entry.updatedAt ? (
        <Text size="xs" c="dimmed" mt={6}>
          {t('playbook.editedBy', { name: userName(entry.updatedBy), at: dateTime(entry.updatedAt) })}
        </Text>
      ) : null}
      {reset.error ? (
        <Alert color="orange" role="alert" mt="xs">
          {reset.error instanceof ApiProblem && reset.error.status === 409
            ? t('playbook.conflict')
            : reset.error.message}
        </Alert>
      ) : null}
    </Paper>
  );
}

/** Entries by milestone, in the order the API sends them (along the timeline). */
function groupByMilestone(entries: readonly PlaybookEntry[]): [string | null, PlaybookEntry[]][] {
  const groups = new Map<string | null, PlaybookEntry[]>();
  for (const entry of entries) groups.set(entry.milestone, [...(groups.get(entry.milestone) ?? []), entry]);
  return [...groups.entries()];
}

export function PlaybookPage() {
  const { t } = useI18n();
  const search = useSearch({ from: '/app/playbook' });
  const navigate = useNavigate({ from: '/playbook' });
  const [language, setLanguage] = useState<string | null>(null);
  const { data: workspace } = useQuery(workspaceQuery);
  const canEdit = EDITORS.includes(workspace?.user.role ?? '');
  const filter = {
    ...(search.milestone ? { milestone: search.milestone } : {}),
    ...(search.kind ? { kind: search.kind } : {}),
    ...(language ? { language } : {}),
  };
  const library = useQuery(playbookQuery(filter));
  const [editing, setEditing] = useState<{ entry: PlaybookEntry; notice: string | null } | null>(null);
  const setSearch = (next: { milestone?: string | null; kind?: string | null }) =>
    void navigate({
      search: (previous) => {
        const merged = { ...previous, ...next };
        return {
          ...(merged.milestone ? { milestone: merged.milestone } : {}),
          ...(merged.kind ? { kind: merged.kind } : {}),
        };
      },
    });

  return (
    <Stack gap="md">
      <div>
        <Title order={1}>{t('nav.playbook')}</Title>
        <Text c="dimmed" size="sm">
          {canEdit ? t('playbook.introEditor') : t('playbook.intro')}
        </Text>
      </div>
      <Group gap="sm" align="flex-end">
        <Select
          label={t('playbook.milestone')}
          w={160}
          data={[
            { value: '', label: t('common.all') },
            ...PLAYBOOK_MILESTONES.map((value) => ({ value, label: value })),
          ]}
          value={search.milestone ?? ''}
          onChange={(value) => setSearch({ milestone: value || null })}
          allowDeselect={false}
        />
        <Select
          label={t('playbook.kind')}
          w={200}
          data={[
            { value: '', label: t('common.all') },
            ...PLAYBOOK_KINDS.map((value) => ({ value, label: t(`playbook.kind.${value}` as MessageKey) })),
          ]}
          value={search.kind ?? ''}
          onChange={(value) => setSearch({ kind: value || null })}
          allowDeselect={false}
        />
        <Select
          label={t('user.language')}
          w={160}
          data={[
            { value: '', label: t('common.all') },
            ...Object.entries(LOCALE_NAMES).map(([value, label]) => ({ value, label })),
          ]}
          value={language ?? ''}
          onChange={(value) => setLanguage(value || null)}
          allowDeselect={false}
        />
      </Group>
      <QueryView query={library}>
        {(data) =>
          data.items.length === 0 ? (
            <Empty>{t('playbook.empty')}</Empty>
          ) : (
            groupByMilestone(data.items).map(([milestone, entries]) => (
              <Stack
                key={milestone ?? 'any'}
                gap="sm"
                component="section"
                aria-labelledby={`milestone-${milestone ?? 'any'}`}
              >
                <Title order={2} size="h4" id={`milestone-${milestone ?? 'any'}`}>
                  {milestone ?? t('playbook.anyTime')}
                </Title>
                {entries.map((entry) => (
                  <EntryCard
                    key={entry.id}
                    entry={entry}
                    canEdit={canEdit}
                    onEdit={(chosen) => setEditing({ entry: chosen, notice: null })}
                  />
                ))}
              </Stack>
            ))
          )
        }
      </QueryView>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? `${t('playbook.edit')}: ${editing.entry.title}` : ''}
        size="xl"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {editing ? (
          <EntryEditor
            key={`${editing.entry.id}-${editing.entry.version}`}
            entry={editing.entry}
            notice={editing.notice}
            onClose={() => setEditing(null)}
            onStale={(fresh) => setEditing(fresh ? { entry: fresh, notice: t('playbook.conflict') } : null)}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}
