/** Users and roles (admin): everyone in the workspace, add a person, change a role, disable or enable. */
import { Alert, Badge, Button, Group, Select, Stack, Table, TextInput, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client.ts';
import { allUsersQuery, workspaceQuery } from '../api/queries.ts';
import { ProblemAlert, QueryView, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

const ROLES = ['admin', 'manager', 'csm', 'sales', 'specialist', 'finance', 'executive', 'viewer'] as const;
type Role = (typeof ROLES)[number];

export function SettingsUsersPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const users = useQuery(allUsersQuery);
  const { data: workspace } = useQuery(workspaceQuery);
  const roleOptions = ROLES.map((role) => ({ value: role, label: t(`role.${role}` as MessageKey) }));
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('csm');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['users'] });

  const add = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/users', { body: { email: email.trim(), name: name.trim(), role } })),
    onSuccess: () => {
      setEmail('');
      setName('');
      refresh();
    },
  });
  const update = useMutation({
    mutationFn: ({ userId, body }: { userId: string; body: { role?: Role; disabled?: boolean } }) =>
      call(api.PATCH('/api/v1/users/{userId}', { params: { path: { userId } }, body })),
    onSettled: refresh,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };

  return (
    <Stack gap="md">
      <Section title={t('users.add')} id="user-add">
        <form onSubmit={submit}>
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('users.email')}
              type="email"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              required
              w={260}
            />
            <TextInput
              label={t('users.name')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              required
              w={220}
            />
            <Select
              label={t('users.role')}
              data={roleOptions}
              value={role}
              onChange={(value) => value && setRole(value as Role)}
              allowDeselect={false}
              w={200}
            />
            <Button type="submit" loading={add.isPending} disabled={!email.trim() || !name.trim()}>
              {t('users.add')}
            </Button>
          </Group>
        </form>
        {add.error ? <ProblemAlert error={add.error} /> : null}
        {add.isSuccess ? (
          <Alert variant="outline" color="brand" mt="sm" role="status">
            {t('users.added', { name: add.data.name })}
          </Alert>
        ) : null}
      </Section>
      <Section title={t('users.title')} id="users">
        {update.error ? <ProblemAlert error={update.error} /> : null}
        <QueryView query={users}>
          {(data) => (
            <Table.ScrollContainer minWidth={760}>
              <Table striped verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('users.name')}</Table.Th>
                    <Table.Th>{t('users.email')}</Table.Th>
                    <Table.Th>{t('users.role')}</Table.Th>
                    <Table.Th>{t('users.status')}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>
                        {t('users.disable')} / {t('users.enable')}
                      </VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((user) => {
                    const self = user.userId === workspace?.user.userId;
                    return (
                      <Table.Tr key={user.userId} data-testid={`user-${user.userId}`}>
                        <Table.Td>
                          {user.name}
                          {self ? ` (${t('users.you')})` : ''}
                        </Table.Td>
                        <Table.Td>{user.email}</Table.Td>
                        <Table.Td>
                          <Select
                            aria-label={t('users.roleOf', { name: user.name })}
                            data={roleOptions}
                            value={user.role}
                            allowDeselect={false}
                            disabled={self || update.isPending}
                            size="xs"
                            w={190}
                            onChange={(value) =>
                              value &&
                              value !== user.role &&
                              update.mutate({ userId: user.userId, body: { role: value as Role } })
                            }
                          />
                        </Table.Td>
                        <Table.Td>
                          <Badge
                            color={user.disabled ? 'gray.7' : 'teal.9'}
                            variant={user.disabled ? 'outline' : 'filled'}
                          >
                            {user.disabled ? t('users.disabled') : t('users.active')}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {self ? null : (
                            <Button
                              size="xs"
                              variant="outline"
                              color={user.disabled ? 'teal.9' : 'red.9'}
                              aria-label={t(user.disabled ? 'users.enableName' : 'users.disableName', {
                                name: user.name,
                              })}
                              onClick={() =>
                                update.mutate({ userId: user.userId, body: { disabled: !user.disabled } })
                              }
                            >
                              {user.disabled ? t('users.enable') : t('users.disable')}
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryView>
      </Section>
    </Stack>
  );
}
