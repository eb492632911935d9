/** Small building blocks shared by screens: badges that never rely on colour alone, sections, errors. */
import { Alert, Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiProblem } from '../api/client.ts';
import { usersQuery } from '../api/queries.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

const BAND_COLORS: Record<string, string> = { green: '#1b6b2c', yellow: 'yellow.4', red: 'red.9' };
const CATEGORY_COLORS: Record<string, string> = {
  commit: 'teal.9',
  probable: 'blue.8',
  upside: 'violet.8',
  at_risk: 'red.9',
};

export function BandBadge({ band, score }: { band: string | null | undefined; score?: number | null }) {
  const { t } = useI18n();
  if (!band) return <Text c="dimmed">–</Text>;
  return (
    <Badge color={BAND_COLORS[band] ?? 'gray.7'} autoContrast variant="filled" miw="max-content">
      {t(`band.${band}` as MessageKey)}
      {score === null || score === undefined ? '' : ` ${score}`}
    </Badge>
  );
}

export function CategoryBadge({ category }: { category: string | null | undefined }) {
  const { t } = useI18n();
  if (!category) return <Text c="dimmed">–</Text>;
  return (
    <Badge color={CATEGORY_COLORS[category] ?? 'gray.7'} autoContrast variant="filled" miw="max-content">
      {t(`category.${category}` as MessageKey)}
    </Badge>
  );
}

/** Risk flags read as words: `champion_left` → "champion left". */
export function flagText(flag: string): string {
  return flag.replace(/_/g, ' ');
}

export function RiskFlags({ flags }: { flags: readonly string[] }) {
  if (flags.length === 0) return <Text c="dimmed">–</Text>;
  return (
    <Group gap={4}>
      {flags.map((flag) => (
        <Badge key={flag} color="gray.8" variant="outline" size="sm" miw="max-content">
          {flagText(flag)}
        </Badge>
      ))}
    </Group>
  );
}

export function Section({
  title,
  actions,
  children,
  id,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={2} size="h4" id={headingId}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="xl" fw={700} mt={4}>
        {value}
      </Text>
      {hint ? (
        <Text size="sm" c="dimmed" mt={2}>
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <Group gap="xs" p="md" role="status">
      <Loader size="sm" />
      <Text size="sm">{t('common.loading')}</Text>
    </Group>
  );
}

export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  const message = error instanceof ApiProblem || error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title={t('common.error')} role="alert">
      {message}
    </Alert>
  );
}

/** Loading, error or the content of a query. */
export function QueryView<T>({
  query,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean };
  children: (data: T) => ReactNode;
}) {
  if (query.error) return <ProblemAlert error={query.error} />;
  if (query.isPending || query.data === undefined) return <Loading />;
  return <Stack gap="sm">{children(query.data)}</Stack>;
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" size="sm" py="xs">
      {children}
    </Text>
  );
}

/** A person's name from their user id (the id itself while the directory loads, or for unknown ids). */
export function useUserName(): (userId: string | null | undefined) => string {
  const users = useQuery(usersQuery);
  const names = new Map((users.data?.items ?? []).map((user) => [user.userId, user.name]));
  return (userId) => (userId ? (names.get(userId) ?? userId) : '–');
}
