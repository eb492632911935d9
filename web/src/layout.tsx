/** The workspace shell: navigation, the signed-in user's menu (language, sign out), the page. */
import { AppShell, Avatar, Burger, Group, Menu, NavLink, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { api } from './api/client.ts';
import { workspaceQuery } from './api/queries.ts';
import { LOCALE_NAMES, LOCALES, useI18n } from './i18n/i18n.tsx';
import type { MessageKey } from './i18n/messages.ts';

const NAV: { to: string; label: MessageKey }[] = [
  { to: '/', label: 'nav.home' },
  { to: '/pipeline', label: 'nav.pipeline' },
  { to: '/forecast', label: 'nav.forecast' },
  { to: '/early-renewal', label: 'nav.early' },
  { to: '/win-loss', label: 'nav.winLoss' },
  { to: '/playbook', label: 'nav.playbook' },
  { to: '/settings', label: 'nav.settings' },
];

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

export function AppLayout() {
  const { t, locale, setLocale } = useI18n();
  const [opened, { toggle, close }] = useDisclosure();
  const { data: workspace } = useQuery(workspaceQuery);
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const signOut = async () => {
    await api.POST('/api/v1/auth/logout');
    queryClient.clear();
    await navigate({ to: '/sign-in', search: { redirect: undefined } });
  };

  const user = workspace?.user;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.main')} />
            <Text fw={800} size="lg" c="teal.9" component={Link} to="/">
              {t('app.name')}
            </Text>
          </Group>
          {user ? (
            <Menu position="bottom-end" width={220}>
              <Menu.Target>
                <UnstyledButton aria-label={t('user.menu', { name: user.name })}>
                  <Group gap="xs">
                    <Avatar color="brand" variant="filled" radius="xl" size="sm">
                      {initials(user.name)}
                    </Avatar>
                    <div>
                      <Text size="sm" fw={600} lh={1.1}>
                        {user.name}
                      </Text>
                      <Text size="xs" c="dimmed" lh={1.1}>
                        {t(`role.${user.role}` as MessageKey)}
                      </Text>
                    </div>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('user.language')}</Menu.Label>
                {LOCALES.map((code) => (
                  <Menu.Item
                    key={code}
                    onClick={() => setLocale(code)}
                    fw={code === locale ? 700 : 400}
                    aria-current={code === locale ? 'true' : undefined}
                    lang={code}
                  >
                    {LOCALE_NAMES[code]}
                  </Menu.Item>
                ))}
                <Menu.Divider />
                <Menu.Item onClick={() => void signOut()}>{t('user.signOut')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          ) : null}
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.main')}>
        {NAV.map((item) => {
          const active = item.to === '/' ? pathname === '/' : pathname.startsWith(item.to);
          return (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={t(item.label)}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={close}
              variant="filled"
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
