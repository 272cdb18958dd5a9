/**
 * Settings → Integrations: the payment terminals and phone systems that report to this desk. Adding one shows its
 * token once (the host keeps only its secret store's copy); each can be sent a test event through the real endpoint,
 * or removed (its token stops working at once). The endpoint's address and port are shown with its state.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Code, CopyButton, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlugConnected, IconPlus } from '@tabler/icons-react';
import type { IntegrationKind } from '../../../../shared/integrations/wire.ts';
import type { IntegrationListView } from '../../../../shared/ipc/integrations-contract.ts';
import { useConnection } from '../../app/connection-context.ts';
import { formatDateTime } from '../../app/format.ts';
import { useI18n, type MessageKey } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, type Refusal } from '../../app/issues.ts';
import { useLocationChoice } from '../../app/location-context.ts';
import { CardTitle } from './card-title.tsx';

type TestResult = { id: string; ok: boolean; text: string };

export function IntegrationsPanel() {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { locations, current } = useLocationChoice();
  const [view, setView] = useState<IntegrationListView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const [token, setToken] = useState<{ name: string; token: string } | undefined>();
  const [test, setTest] = useState<TestResult | undefined>();
  const [busy, setBusy] = useState<string | undefined>();

  const load = useCallback(() => {
    api.call('integrations.list', {}).then(setView, (e: unknown) => setError(refusalOf(e, i18n, []).general.join(' ')));
  }, [api, i18n]);
  useEffect(load, [load]);

  const sendTest = async (id: string) => {
    setBusy(id);
    setTest(undefined);
    try {
      const result = await api.call('integrations.sendTest', { id });
      const text = result.ok ? t('integrations.testOk') : t('integrations.testFailed', { reason: result.code ? (i18n.tryT(`integrations.endpointError.${result.code}`) ?? result.message ?? result.code) : String(result.status) });
      setTest({ id, ok: result.ok, text });
    } catch (e) {
      setTest({ id, ok: false, text: refusalOf(e, i18n, []).general.join(' ') });
    } finally {
      setBusy(undefined);
    }
  };
  const remove = async (id: string) => {
    setBusy(id);
    try {
      await api.call('integrations.remove', { id });
      load();
    } catch (e) {
      setError(refusalOf(e, i18n, []).general.join(' '));
    } finally {
      setBusy(undefined);
    }
  };
  const locationName = (id: string) => locations.find((l) => l.id === id)?.name ?? id;

  return (
    <Stack gap="md" maw={980} data-testid="integrations-panel">
      <Card withBorder radius="md" padding="lg">
        <CardTitle icon={<IconPlugConnected size={18} />}>{t('integrations.title')}</CardTitle>
        <Text size="sm" c="dimmed" mt={4}>{t('integrations.intro')}</Text>
        {view && <Endpoint key={view.endpoint.port} view={view} onSaved={load} />}
      </Card>
      {error && <Alert color="red" variant="light">{error}</Alert>}
      <Card withBorder radius="md" padding="lg">
        <Group justify="space-between" mb="sm">
          <Text fw={650}>{t('integrations.list')}</Text>
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} disabled={!current} data-testid="integration-add">{t('integrations.add')}</Button>
        </Group>
        {view && view.integrations.length === 0 && <Text size="sm" c="dimmed" data-testid="integrations-empty">{t('integrations.none')}</Text>}
        {view && view.integrations.length > 0 && (
          <Table verticalSpacing="xs" data-testid="integrations-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('integrations.name')}</Table.Th>
                <Table.Th>{t('integrations.kind')}</Table.Th>
                <Table.Th>{t('integrations.location')}</Table.Th>
                <Table.Th>{t('integrations.lastEvent')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.integrations.map((integration) => (
                <Table.Tr key={integration.id} data-testid="integration-row">
                  <Table.Td>
                    <Text size="sm" fw={600}>{integration.name}</Text>
                    {!integration.usable && <Badge size="xs" color="red" variant="light">{t('integrations.tokenLost')}</Badge>}
                    {test?.id === integration.id && <Text size="xs" c={test.ok ? 'teal' : 'red'} data-testid="integration-test-result" data-ok={test.ok}>{test.text}</Text>}
                  </Table.Td>
                  <Table.Td><Text size="sm">{t(`integrations.kind.${integration.kind}` as MessageKey)}</Text></Table.Td>
                  <Table.Td><Text size="sm">{locationName(integration.locationId)}</Text></Table.Td>
                  <Table.Td><Text size="sm" c="dimmed">{integration.lastEventAt ? formatDateTime(Date.parse(integration.lastEventAt), locale) : '—'}</Text></Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="compact-xs" variant="light" loading={busy === integration.id} onClick={() => void sendTest(integration.id)} data-testid="integration-test">{t('integrations.sendTest')}</Button>
                      <Button size="compact-xs" variant="subtle" color="red" disabled={busy === integration.id} onClick={() => void remove(integration.id)} data-testid="integration-remove">{t('integrations.remove')}</Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {adding && current && (
        <AddIntegration
          locationId={current.id}
          onClose={() => setAdding(false)}
          onCreated={(name, made) => {
            setAdding(false);
            setToken({ name, token: made });
            load();
          }}
        />
      )}
      <Modal opened={token !== undefined} onClose={() => setToken(undefined)} closeButtonProps={{ 'aria-label': i18n.t('common.close') }} title={<Text fw={700}>{t('integrations.tokenTitle', { name: token?.name ?? '' })}</Text>} size="lg" data-testid="integration-token">
        {token && (
          <Stack gap="sm">
            <Alert color="yellow" variant="light">{t('integrations.tokenOnce')}</Alert>
            <Code block data-testid="integration-token-value" style={{ wordBreak: 'break-all' }}>{token.token}</Code>
            {view?.endpoint.url && <Text size="sm">{t('integrations.tokenUse', { url: view.endpoint.url })}</Text>}
            <Group justify="flex-end" className="fd-dialog-actions">
              <CopyButton value={token.token}>{({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? t('integrations.copied') : t('integrations.copy')}</Button>}</CopyButton>
              <Button onClick={() => setToken(undefined)} data-testid="integration-token-done">{t('integrations.tokenDone')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function Endpoint({ view, onSaved }: { view: IntegrationListView; onSaved(): void }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [port, setPort] = useState<number | string>(view.endpoint.port);
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const save = async () => {
    setRefusal(NO_REFUSAL);
    try {
      await api.call('integrations.setPort', { port: Number(port) });
      onSaved();
    } catch (e) {
      setRefusal(refusalOf(e, i18n, ['port']));
    }
  };
  const { endpoint } = view;
  return (
    <Stack gap="xs" mt="md">
      <Group gap="xs">
        <Badge variant="light" color={endpoint.listening ? 'teal' : endpoint.problem ? 'red' : 'gray'} tt="none" data-testid="endpoint-state">
          {endpoint.listening ? t('integrations.listening') : endpoint.problem ? t('integrations.problem') : t('integrations.off')}
        </Badge>
        {endpoint.url && <Code data-testid="endpoint-url">{endpoint.url}</Code>}
      </Group>
      {endpoint.problem && <Text size="sm" c="red">{endpoint.problem}</Text>}
      <Text size="xs" c="dimmed">{t('integrations.loopback')}</Text>
      <Group align="flex-end" gap="sm">
        <NumberInput label={t('integrations.port')} value={port} onChange={setPort} min={1024} max={65535} allowDecimal={false} w={140} error={refusal.fields['port'] ?? refusal.general.join(' ')} data-testid="endpoint-port" />
        <Button variant="default" onClick={() => void save()} disabled={Number(port) === endpoint.port}>{t('common.save')}</Button>
      </Group>
    </Stack>
  );
}

const ADD_INPUTS = ['name', 'kind', 'locationId'] as const;

function AddIntegration({ locationId, onClose, onCreated }: { locationId: string; onClose(): void; onCreated(name: string, token: string): void }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const { locations } = useLocationChoice();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<IntegrationKind>('paymentTerminal');
  const [location, setLocation] = useState(locationId);
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setRefusal(NO_REFUSAL);
    setBusy(true);
    try {
      const made = await api.call('integrations.create', { name, kind, locationId: location });
      onCreated(made.integration.name, made.token);
    } catch (e) {
      setRefusal(refusalOf(e, i18n, ADD_INPUTS));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': i18n.t('common.close') }} title={<Text fw={700}>{t('integrations.add')}</Text>} data-testid="integration-form">
      <Stack gap="sm">
        <SimpleGrid cols={1}>
          <TextInput label={t('integrations.name')} placeholder={t('integrations.nameHint')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={80} error={refusal.fields['name']} data-autofocus data-testid="integration-name" />
          <Select
            label={t('integrations.kind')}
            data={[
              { value: 'paymentTerminal', label: t('integrations.kind.paymentTerminal') },
              { value: 'phoneSystem', label: t('integrations.kind.phoneSystem') },
            ]}
            value={kind}
            onChange={(v) => v && setKind(v as IntegrationKind)}
            allowDeselect={false}
            data-testid="integration-kind"
          />
          {locations.length > 1 && <Select label={t('integrations.location')} data={locations.map((l) => ({ value: l.id, label: l.name }))} value={location} onChange={(v) => v && setLocation(v)} allowDeselect={false} />}
        </SimpleGrid>
        <Text size="xs" c="dimmed">{kind === 'phoneSystem' ? t('integrations.kindHint.phoneSystem') : t('integrations.kindHint.paymentTerminal')}</Text>
        {refusal.general.length > 0 && <Alert color="red" variant="light">{refusal.general.join(' ')}</Alert>}
        <Group justify="flex-end" className="fd-dialog-actions">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button loading={busy} onClick={() => void save()} data-testid="integration-save">{t('integrations.create')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
