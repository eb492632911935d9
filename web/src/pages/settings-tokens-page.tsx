/** My API tokens: list, create (the secret is shown once, with a copy button), revoke. */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client.ts';
import { myTokensQuery } from '../api/queries.ts';
import { Empty, ProblemAlert, QueryView, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

const SCOPES = ['read', 'write', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

export function SettingsTokensPage() {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const tokens = useQuery(myTokensQuery);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);

  const create = useMutation({
    mutationFn: () => call(api.POST('/api/v1/auth/tokens', { body: { name: name.trim(), scopes } })),
    onSuccess: (created) => {
      setSecret({ name: created.name, token: created.token });
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (tokenId: number) =>
      call(api.DELETE('/api/v1/auth/tokens/{tokenId}', { params: { path: { tokenId: String(tokenId) } } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSecret(null);
    create.mutate();
  };

  return (
    <Stack gap="md">
      <Section title={t('tokens.create')} id="token-create">
        <form onSubmit={submit}>
          <Stack gap="sm">
            <TextInput
              label={t('tokens.name')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              required
              maxLength={100}
              maw={420}
            />
            <Checkbox.Group
              label={t('tokens.scopes')}
              value={scopes}
              onChange={(value) => setScopes(value as Scope[])}
            >
              <Group gap="md" mt={4}>
                {SCOPES.map((scope) => (
                  <Checkbox key={scope} value={scope} label={t(`tokens.scope.${scope}` as MessageKey)} />
                ))}
              </Group>
            </Checkbox.Group>
            <Group>
              <Button type="submit" loading={create.isPending} disabled={!name.trim() || scopes.length === 0}>
                {t('tokens.create')}
              </Button>
            </Group>
            {create.error ? <ProblemAlert error={create.error} /> : null}
          </Stack>
        </form>
        {secret ? (
          <Alert
            variant="outline"
            color="brand"
            title={t('tokens.secretTitle')}
            mt="md"
            data-testid="token-secret"
          >
            <Stack gap="xs">
              <Text size="sm">{t('tokens.secretOnce')}</Text>
              <Group gap="xs" wrap="nowrap">
                <Code aria-label={t('tokens.secretLabel')} style={{ wordBreak: 'break-all' }}>
                  {secret.token}
                </Code>
                <CopyButton value={secret.token}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant="outline" color={copied ? 'teal.9' : 'dark'} onClick={copy}>
                      {copied ? t('tokens.copied') : t('tokens.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </Stack>
          </Alert>
        ) : null}
      </Section>
      <Section title={t('tokens.title')} id="tokens">
        <QueryView query={tokens}>
          {(data) =>
            data.items.length === 0 ? (
              <Empty>{t('tokens.none')}</Empty>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table striped verticalSpacing={4}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('tokens.name')}</Table.Th>
                      <Table.Th>{t('tokens.scopes')}</Table.Th>
                      <Table.Th>{t('tokens.created')}</Table.Th>
                      <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                      <Table.Th>
                        <VisuallyHidden>{t('tokens.revoke')}</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((token) => (
                      <Table.Tr key={token.id} data-testid={`token-${token.id}`}>
                        <Table.Td>{token.name}</Table.Td>
                        <Table.Td>{token.scopes.join(', ')}</Table.Td>
                        <Table.Td>{dateTime(token.createdAt)}</Table.Td>
                        <Table.Td>{dateTime(token.lastUsedAt)}</Table.Td>
                        <Table.Td>
                          {token.revokedAt ? (
                            <Badge color="gray.7" variant="outline">
                              {t('tokens.revoked')}
                            </Badge>
                          ) : (
                            <Button
                              size="xs"
                              color="red.9"
                              variant="outline"
                              aria-label={t('tokens.revokeName', { name: token.name })}
                              loading={revoke.isPending && revoke.variables === token.id}
                              onClick={() => revoke.mutate(token.id)}
                            >
                              {t('tokens.revoke')}
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryView>
        {revoke.error ? <ProblemAlert error={revoke.error} /> : null}
      </Section>
    </Stack>
  );
}
