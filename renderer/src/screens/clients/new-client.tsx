/**
 * "New client" from the clients list: the contact fields, language, consent and notes, checked by the host's rules
 * before anything is sent (a phone or an email is needed for confirmations), and created by `clients.save`. A call
 * from an unknown number opens it with the number filled in (route #/clients/new/<phone>).
 */
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, Select, SimpleGrid, Text, TextInput, Textarea, Title } from '@mantine/core';
import { applyContactChange, checkClientContact, reachableIssues } from '../../../../shared/domain/client-input.ts';
import { issue } from '../../../../shared/domain/issues.ts';
import type { Language } from '../../../../shared/notifications/catalog.ts';
import { useConnection } from '../../app/connection-context.ts';
import { BirthdayField } from '../../app/fields.tsx';
import { useI18n } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, refusalOfIssues, type Refusal } from '../../app/issues.ts';
import { navigate } from '../../app/router.ts';
import { useSalon } from '../../data/salon.ts';

const INPUTS = ['firstName', 'lastName', 'phone', 'email', 'birthday', 'notes'] as const;

export function NewClientForm({ phone }: { phone?: string | undefined } = {}) {
  const { api } = useConnection();
  const { location } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState({ firstName: '', lastName: '', phone: phone ?? '', email: '', birthday: '' });
  const [language, setLanguage] = useState<Language>(location.locale.toLowerCase().startsWith('ru') ? 'ru' : 'en');
  const [consent, setConsent] = useState(false);
  const [notes, setNotes] = useState('');
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saving, setSaving] = useState(false);

  async function create() {
    const checked = checkClientContact(form, location.countryCode);
    const local = checked.ok
      ? [
          ...(checked.value.firstName ? [] : [issue('client.firstName.required', 'firstName', 'enter the first name')]),
          ...reachableIssues(applyContactChange<{ firstName: string; lastName: string; phone?: string; email?: string; birthday?: string }>({ firstName: '', lastName: '' }, checked.value)),
        ]
      : checked.issues;
    setRefusal(refusalOfIssues(local, i18n, INPUTS));
    if (local.length > 0) return;
    setSaving(true);
    try {
      const created = await api.call('clients.save', { locationId: location.id, ...form, language, marketingConsent: consent, ...(notes.trim() ? { notes } : {}) });
      navigate({ screen: 'clients', params: [created.clientId] });
    } catch (error) {
      setRefusal(refusalOf(error, i18n, INPUTS));
    } finally {
      setSaving(false);
    }
  }

  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value });
  const errors = refusal.fields;
  return (
    <Card withBorder radius="md" padding="lg" data-testid="new-client-form">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={3}>{t('clients.new')}</Title>
          {phone && <Text size="sm" c="dimmed" data-testid="new-client-from-call">{t('clients.newFromCall', { phone })}</Text>}
        </div>
        <Group gap="xs">
          <Button variant="default" onClick={() => navigate({ screen: 'clients', params: [] })}>{t('common.cancel')}</Button>
          <Button onClick={() => void create()} loading={saving} data-testid="new-client-save">{t('clients.create')}</Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput label={t('clients.firstName')} required autoFocus value={form.firstName} onChange={set('firstName')} error={errors.firstName} data-testid="new-client-first-name" maxLength={120} />
        <TextInput label={t('clients.lastName')} value={form.lastName} onChange={set('lastName')} error={errors.lastName} maxLength={120} data-testid="new-client-last-name" />
        <Select label={t('clients.language')} data={[{ value: 'en', label: 'English' }, { value: 'ru', label: 'Русский' }]} value={language} onChange={(v) => v && setLanguage(v as Language)} allowDeselect={false} />
        <TextInput label={t('clients.phone')} description={t('clients.phoneHint', { country: location.countryCode })} value={form.phone} onChange={set('phone')} error={errors.phone} data-testid="new-client-phone" />
        <TextInput label={t('clients.email')} value={form.email} onChange={set('email')} error={errors.email} data-testid="new-client-email" />
        <BirthdayField label={t('clients.birthday')} value={form.birthday} onChange={(birthday) => setForm((f) => ({ ...f, birthday }))} error={errors.birthday} data-testid="new-client-birthday" />
      </SimpleGrid>
      <Checkbox mt="md" label={t('clients.consent')} checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
      <Text size="xs" c="dimmed" mt={4} ml={30}>{consent ? t('clients.consentEffectYes') : t('clients.consentEffectNo')}</Text>
      <Textarea mt="md" label={t('clients.notes')} autosize minRows={2} maxRows={6} maxLength={2000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} error={errors.notes} />
      {refusal.general.length > 0 && <Alert mt="sm" variant="light" color="red">{refusal.general.join(' ')}</Alert>}
    </Card>
  );
}
