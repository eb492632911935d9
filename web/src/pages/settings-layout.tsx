/**
 * Settings: one section per area, each shown only to the roles the API lets use it — the policy to admins
 * and managers (managers preview, admins save), users and imports to admins, API tokens to everyone.
 */
import { Button, Group, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { workspaceQuery } from '../api/queries.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

type SettingsPath = '/settings/policy' | '/settings/users' | '/settings/tokens' | '/settings/imports';
type SettingsTab = { to: SettingsPath; label: MessageKey; roles: readonly string[] | null };

export const SETTINGS_TABS: readonly SettingsTab[] = [
  { to: '/settings/policy', label: 'settings.tab.policy', roles: ['admin', 'manager'] },
  { to: '/settings/users', label: 'settings.tab.users', roles: ['admin'] },
  { to: '/settings/tokens', label: 'settings.tab.tokens', roles: null },
  { to: '/settings/imports', label: 'settings.tab.imports', roles: ['admin'] },
];

/** The settings areas a role may use, in order (the first is where /settings leads). */
export function settingsTabsFor(role: string): readonly SettingsTab[] {
  return SETTINGS_TABS.filter((tab) => tab.roles === null || tab.roles.includes(role));
}

export function SettingsLayout() {
  const { t } = useI18n();
  const { data: workspace } = useQuery(workspaceQuery);
  const tabs = settingsTabsFor(workspace?.user.role ?? '');
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  return (
    <Stack gap="md">
      <Title order={1}>{t('settings.title')}</Title>
      <Group component="nav" aria-label={t('settings.title')} gap="xs">
        {tabs.map((tab) => {
          const active = pathname.startsWith(tab.to);
          return (
            <Button
              key={tab.to}
              component={Link}
              to={tab.to}
              variant={active ? 'filled' : 'default'}
              aria-current={active ? 'page' : undefined}
            >
              {t(tab.label)}
            </Button>
          );
        })}
      </Group>
      <Outlet />
    </Stack>
  );
}
