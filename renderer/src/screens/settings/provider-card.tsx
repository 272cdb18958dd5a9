/**
 * One provider of one channel (Twilio for SMS, ntfy for staff push…), its form generated from the catalog's field
 * and secret descriptions: labels from `provider.field.<key>` / `provider.secret.<key>`, inline errors from the same
 * validation the host runs, "Test connection" and "Send a test message" against the saved settings, and the reason a
 * saved provider cannot run. Secrets are write-only: the card only knows whether each is saved on this desk.
 */
import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Collapse, Grid, Group, NumberInput, Paper, PasswordInput, Select, Stack, Switch, Text, TextInput, Textarea, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronDown, IconChevronRight, IconPlugConnected, IconSend, IconX } from '@tabler/icons-react';
import type { ProviderView } from '../../../../shared/ipc/providers-contract.ts';
import type { Channel } from '../../../../shared/notifications/catalog.ts';
import { PROVIDER_SPECS, changesSecretOwner, validateProviderSettings, withDefaults, type FieldSpec, type ProviderKind, type SettingValue } from '../../../../shared/providers/catalog.ts';
import { reasonText } from '../../app/coded-text.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n, type I18n } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, refusalOfIssues, type Refusal } from '../../app/issues.ts';
import { useUnsavedChanges } from '../../app/unsaved.ts';
import { sendTestOutcome } from './send-test-outcome.ts';
import { showToast } from '../../app/toast.ts';

type Values = Record<string, SettingValue>;

interface Outcome {
  ok: boolean;
  text: string;
  detail?: string | undefined;
}

function initialValues(kind: ProviderKind, saved: ProviderView | undefined): Values {
  return withDefaults(kind, saved?.settings ?? {});
}

/** What the host gets: empty texts dropped (the host fills defaults), numbers as numbers. */
function settingsOf(kind: ProviderKind, values: Values): Values {
  const out: Values = {};
  for (const field of PROVIDER_SPECS[kind].fields) {
    const value = values[field.key];
    if (value === undefined || value === '') continue;
    out[field.key] = field.kind === 'number' && typeof value === 'string' ? Number(value) : value;
  }
  return out;
}

const testId = (kind: ProviderKind, channel: Channel, part: string) => `provider-${channel}-${kind}-${part}`;

/** What "Send a test message" asks for: an address, a chat, a device, a topic or a phone number. */
const TEST_TO = { smtp: 'email', telegram: 'telegram', fcm: 'fcm', ntfy: 'ntfy', twilio: 'phone', httpSms: 'phone' } as const satisfies Record<ProviderKind, string>;

/** The values with one field changed; consents that belong to the changed field (`consentFor`) go back to off. */
function withChange(kind: ProviderKind, values: Values, key: string, value: SettingValue): Values {
  const next: Values = { ...values, [key]: value };
  if (values[key] === value) return next;
  for (const field of PROVIDER_SPECS[kind].fields) if (field.consentFor?.includes(key)) next[field.key] = false;
  return next;
}

function label(i18n: I18n, kind: ProviderKind, key: string, what: 'field' | 'secret'): string {
  return i18n.tryT(`provider.${kind}.${what}.${key}`) ?? i18n.tryT(`provider.${what}.${key}`) ?? key;
}

function help(i18n: I18n, kind: ProviderKind, key: string): string | undefined {
  return i18n.tryT(`provider.${kind}.help.${key}`) ?? i18n.tryT(`provider.help.${key}`);
}

function FieldInput({ kind, channel, field, value, error, onChange }: { kind: ProviderKind; channel: Channel; field: FieldSpec; value: SettingValue | undefined; error?: string | undefined; onChange(v: SettingValue): void }) {
  const i18n = useI18n();
  const common = { label: label(i18n, kind, field.key, 'field'), description: help(i18n, kind, field.key), error, 'data-testid': testId(kind, channel, field.key) };
  switch (field.kind) {
    case 'boolean':
      return <Switch mt="md" label={common.label} description={common.description} error={error} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} data-testid={common['data-testid']} />;
    case 'number':
      return <NumberInput {...common} min={field.min} max={field.max} decimalScale={4} value={typeof value === 'number' || typeof value === 'string' ? value : ''} onChange={(v) => onChange(v)} />;
    case 'select':
      return <Select {...common} allowDeselect={false} data={(field.options ?? []).map((option) => ({ value: option, label: i18n.tryT(`provider.${kind}.option.${field.key}.${option}`) ?? option }))} value={typeof value === 'string' ? value : null} onChange={(v) => v !== null && onChange(v)} />;
    case 'textarea':
      return <Textarea {...common} autosize minRows={2} maxRows={8} ff="monospace" value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
    default:
      return <TextInput {...common} placeholder={field.kind === 'phone' ? '+4915123456789' : field.kind === 'url' ? 'https://' : field.kind === 'email' ? 'hello@salon.example' : undefined} value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}

interface ProviderCardProps {
  locationId: string;
  channel: Channel;
  kind: ProviderKind;
  saved: ProviderView | undefined;
  onSaved(view: ProviderView): void;
  /** The channel's only provider (email): open, and switched on when first saved. */
  only?: boolean;
}

export function ProviderCard({ locationId, channel, kind, saved, onSaved, only = false }: ProviderCardProps) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const spec = PROVIDER_SPECS[kind];
  const [values, setValues] = useState<Values>(() => initialValues(kind, saved));
  const savedEnabled = saved?.enabled ?? only;
  const [enabled, setEnabled] = useState(savedEnabled);
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [open, setOpen] = useState(saved !== undefined || only);
  const [advanced, setAdvanced] = useState(false);
  const [busy, setBusy] = useState<'save' | 'test' | 'send' | undefined>();
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [testTo, setTestTo] = useState('');
  // The value is read in the event: React may run a state updater after the event, when currentTarget is null.
  const setSecret = (key: string, value: string) => setSecrets((current) => ({ ...current, [key]: value }));
  const dirty = JSON.stringify(values) !== JSON.stringify(initialValues(kind, saved)) || enabled !== savedEnabled || Object.values(secrets).some((s) => s !== '');
  useUnsavedChanges(dirty);
  // The host forgets saved secrets when the server or login changes: say so before the manager saves.
  const forgetsSecrets = saved !== undefined && changesSecretOwner(kind, saved.settings, settingsOf(kind, values)) && spec.secrets.some((s) => saved.secrets[s.key] === 'set' && !secrets[s.key]);
  const inputs = useMemo(() => [...spec.fields.map((f) => `settings.${f.key}`), ...spec.secrets.map((s) => `secrets.${s.key}`)], [spec]);
  const missingSecrets = spec.secrets.filter((s) => s.required && saved?.secrets[s.key] !== 'set' && !secrets[s.key]);

  const save = async () => {
    const issues = validateProviderSettings(kind, settingsOf(kind, values));
    for (const secret of missingSecrets) issues.push({ code: 'provider.secret.required', field: `secrets.${secret.key}`, message: `${secret.key}: enter it` });
    if (issues.length > 0) {
      setRefusal(refusalOfIssues(issues, i18n, inputs));
      return;
    }
    setBusy('save');
    setRefusal(NO_REFUSAL);
    setOutcome(undefined);
    try {
      const typed = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== ''));
      const answer = await api.call('providers.save', { locationId, channel, kind, enabled, settings: settingsOf(kind, values), ...(Object.keys(typed).length > 0 ? { secrets: typed } : {}) });
      setSecrets({});
      showToast(t, { color: 'teal', icon: <IconCheck size={16} />, message: t('provider.savedToast', { provider: t(`provider.${kind}.name`) }) });
      onSaved(answer.provider);
    } catch (e) {
      setRefusal(refusalOf(e, i18n, inputs));
    } finally {
      setBusy(undefined);
    }
  };

  const test = async () => {
    setBusy('test');
    setOutcome(undefined);
    try {
      const answer = await api.call('providers.test', { locationId, channel, kind });
      setOutcome(answer.ok ? { ok: true, text: t('provider.test.ok'), detail: answer.detail } : { ok: false, text: reasonText(i18n, answer) ?? t('provider.test.failed') });
    } catch (e) {
      setOutcome({ ok: false, text: refusalOf(e, i18n, []).general.join(' ') });
    } finally {
      setBusy(undefined);
    }
  };

  const sendTest = async () => {
    setBusy('send');
    setOutcome(undefined);
    try {
      setOutcome(sendTestOutcome(i18n, await api.call('providers.sendTest', { locationId, channel, kind, to: testTo })));
    } catch (e) {
      setOutcome({ ok: false, text: refusalOf(e, i18n, []).general.join(' ') });
    } finally {
      setBusy(undefined);
    }
  };

  const state = !saved ? 'none' : !saved.enabled ? 'off' : saved.ready ? 'ready' : 'problem';
  const stateColor = { none: 'gray', off: 'gray', ready: 'teal', problem: 'red' }[state];
  const basic = spec.fields.filter((f) => !f.advanced);
  const more = spec.fields.filter((f) => f.advanced);
  const field = (f: FieldSpec) => (
    <Grid.Col key={f.key} span={{ base: 12, sm: f.kind === 'textarea' ? 12 : 6 }}>
      <FieldInput kind={kind} channel={channel} field={f} value={values[f.key]} error={refusal.fields[`settings.${f.key}`]} onChange={(v) => setValues((current) => withChange(kind, current, f.key, v))} />
    </Grid.Col>
  );

  return (
    <Paper withBorder p="md" radius="md" data-testid={testId(kind, channel, 'card')}>
      <UnstyledButton w="100%" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid={testId(kind, channel, 'toggle')}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
            <Text fw={600}>{t(`provider.${kind}.name`)}</Text>
            <Text size="sm" c="dimmed" visibleFrom="sm">{t(`provider.${kind}.about`)}</Text>
          </Group>
          <Badge color={stateColor} variant="light" data-testid={testId(kind, channel, 'state')}>{t(`provider.state.${state}`)}</Badge>
        </Group>
      </UnstyledButton>
      {saved?.enabled && saved.problem ? (
        <Alert mt="sm" color="red" variant="light" data-testid={testId(kind, channel, 'problem')}>{reasonText(i18n, saved.problem) ?? t('provider.state.problem')}</Alert>
      ) : null}
      <Collapse expanded={open}>
        <Stack gap="sm" mt="md">
          <Switch label={t('provider.enabled', { channel: t(`channel.${channel}`) })} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} data-testid={testId(kind, channel, 'enabled')} />
          <Grid>
            {basic.map(field)}
            {spec.secrets.map((secret) => {
              const state = saved?.secrets[secret.key] ?? 'missing';
              const placeholder = state === 'set' && !forgetsSecrets ? t('provider.secret.saved') : state === 'damaged' ? t('provider.secret.damaged') : '';
              const common = {
                label: label(i18n, kind, secret.key, 'secret'), description: help(i18n, kind, secret.key), placeholder, value: secrets[secret.key] ?? '', autoComplete: 'new-password',
                error: refusal.fields[`secrets.${secret.key}`] ?? (state === 'damaged' ? t('provider.secret.damaged') : undefined), 'data-testid': testId(kind, channel, secret.key),
              };
              return (
                <Grid.Col key={secret.key} span={12}>
                  {secret.kind === 'textarea' ? (
                    <Textarea {...common} autosize minRows={3} maxRows={8} ff="monospace" onChange={(e) => setSecret(secret.key, e.currentTarget.value)} />
                  ) : (
                    <PasswordInput {...common} visibilityToggleButtonProps={{ 'aria-label': t('common.passwordVisibility') }} onChange={(e) => setSecret(secret.key, e.currentTarget.value)} />
                  )}
                </Grid.Col>
              );
            })}
          </Grid>
          {forgetsSecrets ? <Text size="sm" c="orange" data-testid={testId(kind, channel, 'forget-hint')}>{t('provider.secret.forgetHint')}</Text> : null}
          {more.length > 0 ? (
            <>
              <UnstyledButton onClick={() => setAdvanced((a) => !a)} aria-expanded={advanced} data-testid={testId(kind, channel, 'advanced')}>
                <Group gap={4}>
                  {advanced ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                  <Text size="sm" c="dimmed">{t('provider.advanced')}</Text>
                </Group>
              </UnstyledButton>
              <Collapse expanded={advanced || more.some((f) => refusal.fields[`settings.${f.key}`])}>
                <Grid>{more.map(field)}</Grid>
              </Collapse>
            </>
          ) : null}
          {refusal.general.length > 0 ? <Alert color="red" variant="light" data-testid={testId(kind, channel, 'error')}>{refusal.general.join(' ')}</Alert> : null}
          {Object.keys(refusal.fields).length > 0 && refusal.general.length === 0 ? <Text size="sm" c="red" data-testid={testId(kind, channel, 'error')}>{t('provider.fixFields')}</Text> : null}
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty} onClick={() => (setValues(initialValues(kind, saved)), setEnabled(savedEnabled), setSecrets({}), setRefusal(NO_REFUSAL))}>
              {t('common.discard')}
            </Button>
            <Button disabled={!dirty} loading={busy === 'save'} onClick={() => void save()} data-testid={testId(kind, channel, 'save')}>{t('common.save')}</Button>
          </Group>
          <Group align="flex-end" gap="sm">
            <Button variant="light" leftSection={<IconPlugConnected size={16} />} disabled={!saved || dirty} loading={busy === 'test'} onClick={() => void test()} data-testid={testId(kind, channel, 'test')}>
              {t('provider.test')}
            </Button>
            <TextInput label={t(`provider.testTo.${TEST_TO[kind]}`)} w={260} value={testTo} onChange={(e) => setTestTo(e.currentTarget.value)} data-testid={testId(kind, channel, 'test-to')} />
            <Button variant="light" leftSection={<IconSend size={16} />} disabled={!saved || dirty || testTo.trim() === ''} loading={busy === 'send'} onClick={() => void sendTest()} data-testid={testId(kind, channel, 'send-test')}>
              {t('provider.sendTest')}
            </Button>
          </Group>
          {saved && dirty ? <Text size="sm" c="orange">{t('provider.saveFirst')}</Text> : null}
          {outcome ? (
            <Alert color={outcome.ok ? 'teal' : 'red'} variant="light" icon={outcome.ok ? <IconCheck size={16} /> : <IconX size={16} />} data-testid={testId(kind, channel, 'result')}>
              <Text size="sm">{outcome.text}</Text>
              {outcome.detail ? <Text size="xs" c="dimmed" ff="monospace">{outcome.detail}</Text> : null}
            </Alert>
          ) : null}
        </Stack>
      </Collapse>
    </Paper>
  );
}
