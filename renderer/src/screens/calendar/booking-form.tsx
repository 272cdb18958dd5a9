import { memo, useMemo, useState } from 'react';
import { Alert, Button, Group, List, Modal, MultiSelect, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import { bookingWarnings, createAppointment, durationOfServices } from '../../../../shared/domain/booking-edits.ts';
import { addDaysToLocalDate, minutesToHhmm, wallClockToUtc } from '../../../../shared/domain/zoned-time.ts';
import { deskClock, useNow } from '../../app/clock.ts';
import { openVisit } from '../../app/router.ts';
import { checkClientInput, newClientDoc, type ClientErrors } from '../../data/client-edits.ts';
import { indexClients, searchClients } from '../../data/client-search.ts';
import { writeErrorMessage } from '../../data/database.ts';
import { useDatabase, useRxQuery } from '../../data/hooks.ts';
import { useAppointmentsBetween } from '../../data/queries.ts';
import { useI18n } from '../../app/i18n.ts';
import { newId, useSalon } from '../../data/salon.ts';
import { useUiFormat } from './ui-format.ts';
import { calendarStaff } from './calendar-model.ts';

export interface BookingDraft {
  date: string;
  minutes?: number;
  staffId?: string;
  clientId?: string;
}

/** Memoised: the calendar re-renders on every day switch, the (closed) form need not. */
export const BookingForm = memo(function BookingForm({ draft, onClose }: { draft: BookingDraft | undefined; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal opened={draft !== undefined} onClose={onClose} title={<Text fw={700} size="lg">{t('booking.title')}</Text>} size="lg" data-testid="booking-form">
      {draft && <BookingFormBody draft={draft} onClose={onClose} />}
    </Modal>
  );
});

function BookingFormBody({ draft, onClose }: { draft: BookingDraft; onClose: () => void }) {
  const db = useDatabase();
  const salon = useSalon();
  const format = useUiFormat();
  const { t } = useI18n();
  const { location } = salon;
  const now = useNow();
  const clients = useRxQuery<Client>((d) => d.clients.find({ selector: { locationId: location.id } }), [location.id]);
  const index = useMemo(() => indexClients(clients.docs), [clients.docs]);

  const [mode, setMode] = useState<'existing' | 'new'>('existing');
  const [clientId, setClientId] = useState<string | null>(draft.clientId ?? null);
  const [search, setSearch] = useState('');
  const [newClient, setNewClient] = useState({ firstName: '', lastName: '', phone: '', email: '' });
  const [clientErrors, setClientErrors] = useState<ClientErrors>({});
  const [staffId, setStaffId] = useState<string | null>(draft.staffId ?? null);
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [date, setDate] = useState(draft.date);
  const [time, setTime] = useState(draft.minutes !== undefined ? minutesToHhmm(draft.minutes) : '10:00');
  const [duration, setDuration] = useState<number | string>('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  const specialists = calendarStaff(salon.staff);
  const staff = staffId ? salon.staffById.get(staffId) : undefined;
  const offered = salon.services.filter((s) => s.active && (!staff || staff.serviceIds.includes(s.id)));
  const total = durationOfServices(serviceIds, salon.services);
  const minutes = typeof duration === 'number' && duration > 0 ? duration : total.ok ? total.value : 0;
  let startMs = Number.NaN;
  try {
    startMs = wallClockToUtc(date, time, location.timeZone);
  } catch {
    // shown as an error on save
  }
  const dayFrom = Number.isFinite(startMs) ? wallClockToUtc(date, '00:00', location.timeZone) : 0;
  const dayTo = Number.isFinite(startMs) ? wallClockToUtc(addDaysToLocalDate(date, 1), '00:00', location.timeZone) : 0;
  const sameDay = useAppointmentsBetween(location.id, dayFrom, dayTo);
  const selectedClient = clientId ? clients.docs.find((c) => c.id === clientId) : undefined;
  const warnings =
    staff && Number.isFinite(startMs) && minutes > 0
      ? bookingWarnings({
          clientId: clientId ?? '',
          staff,
          startMs,
          endMs: startMs + minutes * 60_000,
          timeZone: location.timeZone,
          others: sameDay.docs,
          now,
          describe: (a) => `${format.time(a.startMs)}–${format.time(Date.parse(a.end))}`,
        })
      : [];

  const matches = searchClients(index, search, 30);
  if (selectedClient && !matches.includes(selectedClient)) matches.unshift(selectedClient);
  const clientOptions = matches.map((c) => ({ value: c.id, label: `${clientDisplayName(c)}${c.phone ? ` · ${c.phone}` : ''}` }));

  async function save() {
    if (!db) return;
    setError(undefined);
    let client: Client | undefined = selectedClient;
    if (mode === 'new') {
      const checked = checkClientInput({ ...newClient, language: 'en' }, location.countryCode);
      if (!checked.ok) {
        setClientErrors(checked.errors);
        return;
      }
      setClientErrors({});
      client = newClientDoc(newId('cli'), location.id, checked.value, deskClock.now());
    }
    if (!client) return setError(t('booking.chooseClient'));
    if (!Number.isFinite(startMs)) return setError(t('booking.chooseTime'));
    const result = createAppointment(
      { id: newId('apt'), locationId: location.id, clientId: client.id, staffId: staffId ?? '', serviceIds, startMs, ...(typeof duration === 'number' && duration > 0 ? { durationMinutes: duration } : {}), notes, now: deskClock.now() },
      salon.services,
      staff,
    );
    if (!result.ok) return setError(capitalize(result.error) + '.');
    setSaving(true);
    try {
      if (mode === 'new') await db.clients.insert(client);
      await db.appointments.insert(result.value);
      onClose();
      openVisit(result.value.id);
    } catch (e) {
      setError(writeErrorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack gap="md" onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && void save()}>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={600} size="sm">{t('booking.client')}</Text>
          <SegmentedControl size="xs" value={mode} onChange={(v) => setMode(v as 'existing' | 'new')} data={[{ value: 'existing', label: t('booking.findClient') }, { value: 'new', label: t('booking.newClient') }]} data-testid="client-mode" />
        </Group>
        {mode === 'existing' ? (
          <Select
            data-testid="client-select"
            placeholder={t('booking.searchPlaceholder')}
            searchable
            autoFocus
            data={clientOptions}
            value={clientId}
            onChange={setClientId}
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options }) => options}
            nothingFoundMessage={clients.loading ? t('booking.loadingClients') : t('booking.noClient')}
            maxDropdownHeight={260}
          />
        ) : (
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label={t('booking.firstName')} required data-testid="new-client-first" value={newClient.firstName} error={clientErrors.firstName} onChange={(e) => setNewClient({ ...newClient, firstName: e.currentTarget.value })} />
            <TextInput label={t('booking.lastName')} data-testid="new-client-last" value={newClient.lastName} onChange={(e) => setNewClient({ ...newClient, lastName: e.currentTarget.value })} />
            <TextInput label={t('booking.phone')} description={t('booking.phoneHint', { country: location.countryCode })} data-testid="new-client-phone" value={newClient.phone} error={clientErrors.phone} onChange={(e) => setNewClient({ ...newClient, phone: e.currentTarget.value })} />
            <TextInput label={t('booking.email')} description={t('booking.emailHint')} data-testid="new-client-email" value={newClient.email} error={clientErrors.email} onChange={(e) => setNewClient({ ...newClient, email: e.currentTarget.value })} />
          </SimpleGrid>
        )}
      </Stack>
      <SimpleGrid cols={2} spacing="sm">
        <Select
          label={t('booking.specialist')}
          data-testid="staff-select"
          data={specialists.map((s) => ({ value: s.id, label: `${s.name}${s.title ? ` — ${s.title}` : ''}` }))}
          value={staffId}
          onChange={(v) => {
            setStaffId(v);
            const next = v ? salon.staffById.get(v) : undefined;
            if (next) setServiceIds((ids) => ids.filter((id) => next.serviceIds.includes(id)));
          }}
          searchable
        />
        <MultiSelect
          label={t('booking.services')}
          data-testid="services-select"
          data={offered.map((s) => ({ value: s.id, label: `${s.name} · ${s.durationMinutes} ${t('common.minutes')}` }))}
          value={serviceIds}
          onChange={setServiceIds}
          searchable
          placeholder={serviceIds.length === 0 ? t('booking.chooseServices') : undefined}
        />
        <TextInput label={t('booking.date')} type="date" data-testid="booking-date" value={date} onChange={(e) => setDate(e.currentTarget.value)} />
        <Group grow gap="sm" align="flex-start">
          <TextInput label={t('booking.time')} type="time" step={300} data-testid="booking-time" value={time} onChange={(e) => setTime(e.currentTarget.value)} />
          <NumberInput label={t('booking.minutes')} data-testid="booking-duration" min={5} max={720} step={5} value={duration} onChange={setDuration} placeholder={total.ok ? String(total.value) : '—'} />
        </Group>
      </SimpleGrid>
      <Textarea label={t('booking.notes')} autosize minRows={1} maxRows={4} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
      {Number.isFinite(startMs) && minutes > 0 && (
        <Text size="sm" c="dimmed" data-testid="booking-summary">
          {t('booking.summary', { date: format.date(startMs), from: format.time(startMs), to: format.time(startMs + minutes * 60_000), minutes, zone: location.timeZone })}
        </Text>
      )}
      {warnings.length > 0 && (
        <Alert color="yellow" variant="light" title={t('booking.check')} data-testid="booking-warnings">
          <List size="sm" spacing={2}>
            {warnings.map((w) => <List.Item key={w.kind + (w.appointmentId ?? '')}>{capitalize(w.message)}</List.Item>)}
          </List>
        </Alert>
      )}
      {error && <Alert color="red" variant="light" data-testid="booking-error">{error}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
        <Button onClick={() => void save()} loading={saving} data-testid="booking-save">
          {warnings.length > 0 ? t('booking.bookAnyway') : t('booking.book')}
        </Button>
      </Group>
    </Stack>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
