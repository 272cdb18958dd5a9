import { useState } from 'react';
import { Alert, Button, Checkbox, Divider, Grid, Group, NumberInput, Paper, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconKey, IconMail, IconPlugConnected, IconSend, IconX } from '@tabler/icons-react';
import { errorText } from '../../app/coded-text.ts';
import { useUnsavedChanges } from '../../app/unsaved.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import type { PublicLocation } from './model.ts';
import { CardTitle } from './card-title.tsx';

interface Form {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  /** The manager's consent to send the password without TLS; belongs to one server, so editing host or port clears it. */
  allowInsecureAuth: boolean;
  fromAddress: string;
  fromName: string;
}

function formOf(location: PublicLocation): Form {
  const smtp = location.smtp;
  return {
    host: smtp?.host ?? '',
    port: smtp?.port ?? 587,
    secure: smtp?.secure ?? false,
    username: smtp?.username ?? '',
    allowInsecureAuth: smtp?.allowInsecureAuth ?? false,
    fromAddress: smtp?.fromAddress ?? location.email ?? '',
    fromName: smtp?.fromName ?? location.name,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The SMTP connection of the location, with "Test connection" and "Send test message" against the saved settings. */
export function SmtpPanel({ location, onSaved }: { location: PublicLocation; onSaved(): void }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<Form>(() => formOf(location));
  const [password, setPassword] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [testTo, setTestTo] = useState('');
  const [busy, setBusy] = useState<'test' | 'send' | undefined>();
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();
  const dirty = JSON.stringify(form) !== JSON.stringify(formOf(location)) || password !== '';
  useUnsavedChanges(dirty);
  const errors = {
    host: form.host.trim() === '' ? t('error.request.required') : undefined,
    fromAddress: !EMAIL.test(form.fromAddress.trim()) ? t('error.smtp.fromAddress.invalid') : undefined,
    port: !Number.isInteger(form.port) || form.port < 1 || form.port > 65535 ? t('smtp.portRange') : undefined,
  };
  const invalid = Object.values(errors).some(Boolean);
  const configured = location.smtp !== undefined;
  const passwordState = location.smtp?.password ?? 'none';
  const saved = formOf(location);
  // The host forgets the saved password when any of these change: say so before the manager saves.
  const loginChanged = configured && (form.host.trim().toLowerCase() !== saved.host.toLowerCase() || form.port !== saved.port || form.username.trim() !== saved.username);
  const canLogInWithoutTls = !form.secure && form.username.trim() !== '';
  /** Host and port name the server; the consent to send the password without TLS does not carry over to another. */
  const setServer = (next: Partial<Pick<Form, 'host' | 'port' | 'secure'>>) => setForm((current) => {
    const changed = (next.host !== undefined && next.host !== current.host) || (next.port !== undefined && next.port !== current.port);
    return { ...current, ...next, ...(changed ? { allowInsecureAuth: false } : {}) };
  });

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await api.call('location.save', {
        locationId: location.id,
        smtp: {
          host: form.host,
          port: form.port,
          secure: form.secure,
          fromAddress: form.fromAddress,
          allowInsecureAuth: canLogInWithoutTls && form.allowInsecureAuth,
          ...(form.username ? { username: form.username } : {}),
          ...(form.fromName ? { fromName: form.fromName } : {}),
        },
      });
      if (password) await api.call('location.setSmtpPassword', { locationId: location.id, password });
      setPassword('');
      notifications.show({ color: 'teal', icon: <IconCheck size={16} />, message: t('smtp.savedToast') });
      onSaved();
    } catch (e) {
      setError(errorText(i18n, e));
    } finally {
      setSaving(false);
    }
  };

  const test = async (kind: 'test' | 'send') => {
    setBusy(kind);
    setResult(undefined);
    try {
      const answer = await api.call('messages.sendTest', { locationId: location.id, channel: 'email', ...(kind === 'send' ? { to: testTo } : {}) });
      const ok = ['ok', 'sent', 'delivered', 'sandboxed'].includes(answer.status);
      // The outcome in the desk's words; the server's own answer (its words, an id) follows as it came.
      const outcome = answer.status === 'ok' ? t('smtp.result.connected', { host: form.host, port: form.port }) : (i18n.tryT(`deliveryStatus.${answer.status}`) ?? answer.status);
      setResult({ ok, text: answer.status === 'ok' ? outcome : `${outcome} — ${answer.detail}` });
    } catch (e) {
      setResult({ ok: false, text: errorText(i18n, e) });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Stack gap="md" maw={860}>
      <Paper withBorder p="lg" radius="lg" data-testid="smtp-card">
        <CardTitle icon={<IconMail size={18} />} color="blue" mb={4}>{t('smtp.title')}</CardTitle>
        <Text size="sm" c="dimmed" mb="md">
          {t('smtp.hint')}
        </Text>
        <Grid>
          <Grid.Col span={{ base: 12, sm: 8 }}>
            <TextInput label={t('smtp.host')} placeholder="smtp.example.com" value={form.host} onChange={(e) => setServer({ host: e.currentTarget.value })} error={form.host && errors.host} data-testid="smtp-host" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <NumberInput label={t('smtp.port')} min={1} max={65535} value={form.port} onChange={(v) => setServer({ port: Number(v || 0) })} error={errors.port} data-testid="smtp-port" />
          </Grid.Col>
          <Grid.Col span={12}>
            <Select
              label={t('smtp.security')}
              allowDeselect={false}
              value={form.secure ? 'tls' : 'starttls'}
              onChange={(v) => setServer({ secure: v === 'tls', port: v === 'tls' && form.port === 587 ? 465 : v === 'starttls' && form.port === 465 ? 587 : form.port })}
              data={[
                { value: 'tls', label: t('smtp.security.tls') },
                { value: 'starttls', label: t('smtp.security.starttls') },
              ]}
              data-testid="smtp-security"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label={t('smtp.username')} value={form.username} onChange={(e) => setForm({ ...form, username: e.currentTarget.value })} autoComplete="off" data-testid="smtp-username" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <PasswordInput
              label={t('smtp.password')}
              placeholder={passwordState === 'set' && !loginChanged ? t('smtp.passwordSet') : ''}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={passwordState === 'needed' && password === '' && !loginChanged}
              autoComplete="new-password"
              data-testid="smtp-password"
            />
          </Grid.Col>
          {passwordState === 'needed' && password === '' && (
            <Grid.Col span={12}>
              <Alert color="orange" variant="light" icon={<IconKey size={16} />} data-testid="smtp-password-needed">
                {t('smtp.password.needed')}
              </Alert>
            </Grid.Col>
          )}
          {loginChanged && passwordState === 'set' && (
            <Grid.Col span={12}>
              <Text size="sm" c="orange" data-testid="smtp-password-forget-hint">{t('smtp.password.forgetHint')}</Text>
            </Grid.Col>
          )}
          {canLogInWithoutTls && (
            <Grid.Col span={12}>
              <Checkbox
                label={t('smtp.insecure.label')}
                description={t('smtp.insecure.description')}
                checked={form.allowInsecureAuth}
                onChange={(e) => setForm({ ...form, allowInsecureAuth: e.currentTarget.checked })}
                data-testid="smtp-allow-insecure"
              />
              {form.allowInsecureAuth && (
                <Alert mt="xs" color="red" variant="light" icon={<IconAlertTriangle size={16} />} data-testid="smtp-insecure-warning">
                  {t('smtp.insecure.warning', { server: `${form.host.trim() || '…'}:${form.port}` })}
                </Alert>
              )}
            </Grid.Col>
          )}
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label={t('smtp.fromAddress')} placeholder="hello@salon.example" value={form.fromAddress} onChange={(e) => setForm({ ...form, fromAddress: e.currentTarget.value })} error={form.fromAddress && errors.fromAddress} data-testid="smtp-from-address" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput label={t('smtp.fromName')} value={form.fromName} onChange={(e) => setForm({ ...form, fromName: e.currentTarget.value })} data-testid="smtp-from-name" />
          </Grid.Col>
        </Grid>
        {error && (
          <Alert mt="md" color="red" variant="light" data-testid="smtp-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" mt="md">
          <Button variant="default" disabled={!dirty} onClick={() => (setForm(formOf(location)), setPassword(''))}>
            {t('common.discard')}
          </Button>
          <Button disabled={!dirty || invalid} loading={saving} onClick={() => void save()} data-testid="smtp-save">
            {t('common.save')}
          </Button>
        </Group>

        <Divider my="lg" />
        <Stack gap="sm">
          {!configured && <Text size="sm" c="dimmed">{t('smtp.notConfigured')}</Text>}
          {configured && dirty && <Text size="sm" c="orange">{t('smtp.saveFirst')}</Text>}
          <Group align="flex-end">
            <Button variant="light" leftSection={<IconPlugConnected size={16} />} disabled={!configured || dirty} loading={busy === 'test'} onClick={() => void test('test')} data-testid="smtp-test">
              {t('smtp.test')}
            </Button>
            <TextInput label={t('smtp.testTo')} placeholder="you@example.com" w={280} value={testTo} onChange={(e) => setTestTo(e.currentTarget.value)} data-testid="smtp-test-to" />
            <Button variant="light" leftSection={<IconSend size={16} />} disabled={!configured || dirty || !EMAIL.test(testTo)} loading={busy === 'send'} onClick={() => void test('send')} data-testid="smtp-send-test">
              {t('smtp.sendTest')}
            </Button>
          </Group>
          {result && (
            <Alert color={result.ok ? 'teal' : 'red'} variant="light" icon={result.ok ? <IconCheck size={16} /> : <IconX size={16} />} data-testid="smtp-test-result">
              {result.text}
            </Alert>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
