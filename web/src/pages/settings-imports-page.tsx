/**
 * Imports (admin): upload one or more CSV files with upload progress, follow the run (polled every
 * second while queued or running: the file being read and how far), then its summary — rows per file,
 * new / updated / unchanged, warnings — or its problems with the downloadable error report; the
 * history below.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  List,
  Progress,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  getImportProblems,
  getImportRun,
  IMPORT_PRESETS,
  type ImportPreset,
  type ImportRunState,
  type ImportRunSummary,
  type ImportStatus,
  problemsUrl,
  summaryOf,
  uploadImport,
} from '../api/import-uploads.ts';
import { importHistoryQuery } from '../api/queries.ts';
import { Empty, ProblemAlert, QueryView, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

const STATUS_COLORS: Record<string, string> = {
  queued: 'gray.7',
  running: 'blue.8',
  done: 'teal.9',
  failed: 'red.9',
};

function StatusBadge({ status }: { status: ImportStatus | undefined }) {
  const { t } = useI18n();
  if (!status) return <Text c="dimmed">–</Text>;
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray.7'} variant="filled" autoContrast miw="max-content">
      {t(`imports.status.${status}` as MessageKey)}
    </Badge>
  );
}

const active = (run: ImportRunState | undefined) => run?.status === 'queued' || run?.status === 'running';

function RunSummary({ summary }: { summary: ImportRunSummary }) {
  const { t, number } = useI18n();
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600} role="status">
        {t('imports.summary', { rows: number(summary.rows) })}
      </Text>
      <Table.ScrollContainer minWidth={520}>
        <Table verticalSpacing={2} fz="sm" data-testid="import-summary">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.problem.file')}</Table.Th>
              <Table.Th ta="right">{t('imports.rows')}</Table.Th>
              <Table.Th ta="right">{t('imports.summary.new')}</Table.Th>
              <Table.Th ta="right">{t('imports.summary.updated')}</Table.Th>
              <Table.Th ta="right">{t('imports.summary.unchanged')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.files.map((file) => (
              <Table.Tr key={file.file}>
                <Table.Td>{file.file}</Table.Td>
                <Table.Td ta="right">{number(file.rows)}</Table.Td>
                <Table.Td ta="right">{number(file.inserted)}</Table.Td>
                <Table.Td ta="right">{number(file.updated)}</Table.Td>
                <Table.Td ta="right">{number(file.unchanged)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {summary.warnings.length > 0 ? (
        <Alert
          variant="outline"
          color="yellow.9"
          title={t('imports.warnings', { count: number(summary.warnings.length) })}
        >
          <List size="sm" spacing={2}>
            {summary.warnings.slice(0, 20).map((warning) => (
              <List.Item key={warning}>{warning}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Stack>
  );
}

function RunProgress({ id }: { id: number }) {
  const { t, number, percent, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const run = useQuery({
    queryKey: ['import', String(id)],
    queryFn: async () => {
      const state = await getImportRun(id);
      if (!active(state)) void queryClient.invalidateQueries({ queryKey: ['imports'] });
      return state;
    },
    refetchInterval: (query) =>
      active(query.state.data) || (!query.state.data && !query.state.error) ? 1000 : false,
  });
  const failed = run.data?.status === 'failed';
  const problems = useQuery({
    queryKey: ['import', String(id), 'problems'],
    queryFn: () => getImportProblems(id),
    enabled: failed && (run.data?.problemCount ?? 0) > 0,
  });
  return (
    <Section
      title={t('imports.run', { id: String(id) })}
      id="import-run"
      actions={<StatusBadge status={run.data?.status} />}
    >
      <QueryView query={run}>
        {(state) => (
          <>
            <Text size="sm" c="dimmed">
              {state.files.join(', ')} · {dateTime(state.startedAt)}
            </Text>
            {active(state) && !state.progress ? (
              <Text size="sm" role="status">
                {t('imports.waiting')}
              </Text>
            ) : null}
            {active(state) && state.progress ? (
              <Stack gap={4}>
                <Text size="sm" role="status">
                  {t('imports.reading', { file: state.progress.file, rows: number(state.progress.rows) })}
                </Text>
                <Progress
                  value={
                    state.progress.sizeBytes > 0
                      ? (100 * state.progress.bytesRead) / state.progress.sizeBytes
                      : 0
                  }
                  aria-label={t('imports.reading', {
                    file: state.progress.file,
                    rows: number(state.progress.rows),
                  })}
                  animated={active(state)}
                />
                <Text size="xs" c="dimmed">
                  {state.progress.sizeBytes > 0
                    ? percent(state.progress.bytesRead / state.progress.sizeBytes, 0)
                    : ''}
                </Text>
              </Stack>
            ) : null}
            {state.status === 'done' && summaryOf(state) ? <RunSummary summary={summaryOf(state)!} /> : null}
            {failed ? (
              <Alert
                variant="outline"
                color="red.9"
                role="alert"
                title={t('imports.problems', { count: number(state.problemCount) })}
              >
                <Stack gap="xs">
                  {problems.data && problems.data.length > 0 ? (
                    <Table.ScrollContainer minWidth={600}>
                      <Table verticalSpacing={2} fz="sm">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t('imports.problem.file')}</Table.Th>
                            <Table.Th>{t('imports.problem.line')}</Table.Th>
                            <Table.Th>{t('imports.problem.column')}</Table.Th>
                            <Table.Th>{t('imports.problem.problem')}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {problems.data.map((problem) => (
                            <Table.Tr
                              key={`${problem.file}:${problem.line}:${problem.column}:${problem.problem}`}
                            >
                              <Table.Td>{problem.file}</Table.Td>
                              <Table.Td>{problem.line}</Table.Td>
                              <Table.Td>{problem.column}</Table.Td>
                              <Table.Td>{problem.problem}</Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  ) : null}
                  {problems.error ? <ProblemAlert error={problems.error} /> : null}
                  <Anchor href={problemsUrl(state.id)} download={`import-${state.id}-problems.csv`} fw={600}>
                    {t('imports.download')}
                  </Anchor>
                </Stack>
              </Alert>
            ) : null}
          </>
        )}
      </QueryView>
    </Section>
  );
}

export function SettingsImportsPage() {
  const { t, dateTime, number, percent } = useI18n();
  const history = useQuery(importHistoryQuery);
  const [files, setFiles] = useState<File[]>([]);
  const [preset, setPreset] = useState<ImportPreset | 'none'>('none');
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [runId, setRunId] = useState<number | null>(null);

  const upload = useMutation({
    mutationFn: () =>
      uploadImport({
        files,
        preset: preset === 'none' ? null : preset,
        onProgress: (bytes, total) => setSent({ sent: bytes, total }),
      }),
    onSuccess: (run) => {
      setRunId(run.id);
      setFiles([]);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(null);
    setRunId(null);
    upload.mutate();
  };
  const uploaded = sent && sent.total > 0 ? sent.sent / sent.total : 0;

  return (
    <Stack gap="md">
      <Section title={t('imports.upload')} id="import-upload">
        <form onSubmit={submit}>
          <Stack gap="sm">
            <FileInput
              label={t('imports.files')}
              description={t('imports.filesHint')}
              multiple
              accept=".csv,text/csv"
              value={files}
              onChange={setFiles}
              clearable
              maw={520}
            />
            <Select
              label={t('imports.preset')}
              data={[
                { value: 'none', label: t('imports.preset.none') },
                ...IMPORT_PRESETS.map((value) => ({
                  value,
                  label: t(`imports.preset.${value}` as MessageKey),
                })),
              ]}
              value={preset}
              onChange={(value) => value && setPreset(value as ImportPreset | 'none')}
              allowDeselect={false}
              maw={260}
            />
            <Group>
              <Button type="submit" loading={upload.isPending} disabled={files.length === 0}>
                {t('imports.start')}
              </Button>
            </Group>
            {upload.isPending && sent ? (
              <Stack gap={4}>
                <Progress
                  value={uploaded * 100}
                  aria-label={t('imports.uploading', { percent: percent(uploaded, 0) })}
                />
                <Text size="sm" role="status">
                  {t('imports.uploading', { percent: percent(uploaded, 0) })}
                </Text>
              </Stack>
            ) : null}
            {upload.error ? <ProblemAlert error={upload.error} /> : null}
          </Stack>
        </form>
      </Section>
      {runId !== null ? <RunProgress id={runId} /> : null}
      <Section title={t('imports.history')} id="import-history">
        <QueryView query={history}>
          {(data) =>
            data.items.length === 0 ? (
              <Empty>{t('imports.none')}</Empty>
            ) : (
              <Table.ScrollContainer minWidth={700}>
                <Table striped verticalSpacing={4}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>#</Table.Th>
                      <Table.Th>{t('imports.files')}</Table.Th>
                      <Table.Th>{t('imports.started')}</Table.Th>
                      <Table.Th>{t('imports.finished')}</Table.Th>
                      <Table.Th ta="right">{t('imports.rows')}</Table.Th>
                      <Table.Th>{t('users.status')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((run) => {
                      const rows = typeof run.summary.rows === 'number' ? run.summary.rows : null;
                      return (
                        <Table.Tr key={run.id}>
                          <Table.Td>
                            <Anchor
                              component="button"
                              type="button"
                              aria-label={t('imports.run', { id: String(run.id) })}
                              onClick={() => setRunId(run.id)}
                            >
                              {run.id}
                            </Anchor>
                          </Table.Td>
                          <Table.Td>{run.files.join(', ')}</Table.Td>
                          <Table.Td>{dateTime(run.startedAt)}</Table.Td>
                          <Table.Td>{dateTime(run.finishedAt)}</Table.Td>
                          <Table.Td ta="right">{number(rows)}</Table.Td>
                          <Table.Td>
                            <StatusBadge status={run.status} />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
      </Section>
    </Stack>
  );
}
