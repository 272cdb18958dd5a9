import { memo, useMemo, useState } from 'react';
import { Alert, Button, Group, List, Modal, MultiSelect, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { Client } from '../../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import { applyContactChange, checkClientContact, reachableIssues } from '../../../../shared/domain/client-input.ts';
import { bookingWarnings, durationOfServices, instantOf } from '../../../../shared/domain/booking-edits.ts';
import { issue, underField, type Issue } from '../../../../shared/domain/issues.ts';
import { addDaysToLocalDate, minutesToHhmm, utcToWallClock, wallClockToUtc } from '../../../../shared/domain/zoned-time.ts';
import { useConnection } from '../../app/connection-context.ts';
import { DateField, TimeField } from '../../app/fields.tsx';
import { NO_REFUSAL, issueParams, refusalOf, refusalOfIssues, type Refusal } from '../../app/issues.ts';
import { useNow } from '../../app/clock.ts';
import { openVisit } from '../../app/router.ts';
import { indexClients, searchClients } from '../../data/client-search.ts';
import { useRxQuery } from '../../data/hooks.ts';
import { useAppointmentsBetween } from '../../data/queries.ts';
import { useI18n } from '../../app/i18n.ts';
import { confirmDiscard, useUnsavedChanges } from '../../app/unsaved.ts';
import { useEscapeClosesTopmost } from '../../app/escape-topmost.ts';
import { UnfinishedDatesContext, useUnfinishedDates } from '../../app/unfinished-dates.ts';
import { useSalon } from '../../data/salon.ts';
import { useUiFormat } from './ui-format.ts';
import { calendarStaff } from './calendar-model.ts';
import { displayPhone } from '../../../../shared/domain/phone.ts';

export interface BookingDraft {
  date: string;
  minutes?: number;
  staffId?: string;
  clientId?: string;
}

/** The form's dialog element, told apart from its date field's calendar (see useEscapeClosesTopmost). */
const FORM_CLASS = 'fd-booking-form';

/** Memoised: the calendar re-renders on every day switch, the (closed) form need not. */
export const BookingForm = memo(function BookingForm({ draft, onClose }: { draft: BookingDraft | undefined; onClose: () => void }) {
  const { t } = useI18n();
  // Escape, the close button or a click outside with something typed asks first (the body registers its edits).
  const close = () => void confirmDiscard().then((discard) => discard && onClose());
  useEscapeClosesTopmost(draft !== undefined, FORM_CLASS, close);
  return (
    <Modal opened={draft !== undefined} onClose={close} closeOnEscape={false} classNames={{ content: FORM_CLASS }} closeButtonProps={{ 'aria-label': t('common.close') }} title={<Text fw={700} size="lg">{t('booking.title')}</Text>} size="lg" data-testid="booking-form">
      {draft && <BookingFormBody draft={draft} onClose={onClose} />}
    </Modal>
  );
});

/** Inputs of the form, by the request field the host names in its issues. */
const INPUTS = ['client', 'client.firstName', 'client.lastName', 'client.phone', 'client.email', 'staffId', 'serviceIds', 'start', 'start.date', 'start.time', 'end', 'notes'] as const;

function BookingFormBody({ draft, onClose }: { draft: BookingDraft; onClose: () => void }) {
  const { api } = useConnection();
  const salon = useSalon();
  const format = useUiFormat();
  const i18n = useI18n();
  const { t } = i18n;
  const { location } = salon;
  const now = useNow();
  const clients = useRxQuery<Client>((d) => d.clients.find({ selector: { locationId: location.id } }), [location.id]);
  const index = useMemo(() => indexClients(clients.docs), [clients.docs]);

  const [mode, setMode] = useState<'existing' | 'new'>('existing');
  const [clientId, setClientId] = useState<string | null>(draft.clientId ?? null);
  const [search, setSearch] = useState('');
  const [newClient, setNewClient] = useState({ firstName: '', lastName: '', phone: '', email: '' });
  const [staffId, setStaffId] = useState<string | null>(draft.staffId ?? null);
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [date, setDate] = useState(draft.date);
  const [time, setTime] = useState(draft.minutes !== undefined ? minutesToHhmm(draft.minutes) : '10:00');
  const [duration, setDuration] = useState<number | string>('');
  const [notes, setNotes] = useState('');
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saving, setSaving] = useState(false);
  const dates = useUnfinishedDates();
  // Something typed or chosen beyond what the click on the grid filled in.
  const initialTime = draft.minutes !== undefined ? minutesToHhmm(draft.minutes) : '10:00';
  const dirty =
    clientId !== (draft.clientId ?? null) || search !== '' || Object.values(newClient).some((v) => v !== '') || staffId !== (draft.staffId ?? null) ||
    serviceIds.length > 0 || date !== draft.date || time !== initialTime || duration !== '' || notes !== '';
  useUnsavedChanges(dirty);

  const specialists = calendarStaff(salon.staff);
  const staff = staffId ? salon.staffById.get(staffId) : undefined;
  const offered = salon.services.filter((s) => s.active && (!staff || staff.serviceIds.includes(s.id)));
  const total = durationOfServices(serviceIds, salon.services);
  const minutes = typeof duration === 'number' && duration > 0 ? duration : total.ok ? total.value : 0;
  // The same reading of the local date and time as the host's: a day that does not exist or a time the clocks skip
  // is an issue, never silently moved.
  const start = instantOf({ date, time }, location.timeZone, 'start');
  const startMs = start.ok ? start.ms : Number.NaN;
  const dayFrom = start.ok ? wallClockToUtc(date, '00:00', location.timeZone) : 0;
  const dayTo = start.ok ? wallClockToUtc(addDaysToLocalDate(date, 1), '00:00', location.timeZone) : 0;
  const sameDay = useAppointmentsBetween(location.id, dayFrom, dayTo);
  const selectedClient = clientId ? clients.docs.find((c) => c.id === clientId) : undefined;
  const warnings =
    staff && start.ok && minutes > 0
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
  const clientOptions = matches.map((c) => ({ value: c.id, label: `${clientDisplayName(c)}${c.phone ? ` · ${displayPhone(c.phone)}` : ''}` }));
  const fieldError = (...fields: (typeof INPUTS)[number][]) => fields.map((f) => refusal.fields[f]).find((text) => text !== undefined);

  /** What the form can tell before asking the host: the same rules and codes the host applies. */
  function localIssues(): Issue[] {
    const issues: Issue[] = [];
    if (mode === 'existing' && !clientId) issues.push(issue('appointment.client.required', 'client', 'choose a client'));
    if (mode === 'new') {
      const contact = checkClientContact(newClient, location.countryCode);
      if (!contact.ok) issues.push(...underField('client', contact.issues));
      else issues.push(...underField('client', reachableIssues(applyContactChange<Pick<Client, 'firstName' | 'lastName' | 'phone' | 'email'>>({ firstName: '', lastName: '' }, contact.value))));
    }
    if (!staffId) issues.push(issue('appointment.staff.required', 'staffId', 'choose a specialist'));
    if (serviceIds.length === 0) issues.push(issue('appointment.services.required', 'serviceIds', 'choose a service'));
    if (!start.ok) issues.push(...start.issues);
    return issues;
  }

  async function save() {
    if (!dates.allFinished()) return;
    const local = localIssues();
    setRefusal(refusalOfIssues(local, i18n, INPUTS));
    if (local.length > 0) return;
    const end = typeof duration === 'number' && duration > 0 ? utcToWallClock(startMs + duration * 60_000, location.timeZone) : undefined;
    setSaving(true);
    try {
      const result = await api.call('appointments.create', {
        locationId: location.id,
        client: mode === 'new' ? { kind: 'new', ...newClient } : { kind: 'existing', id: clientId ?? '' },
        staffId: staffId ?? '',
        serviceIds,
        start: { date, time },
        ...(end ? { end: { date: end.date, time: end.time } } : {}),
        ...(notes.trim() ? { notes } : {}),
      });
      onClose();
      openVisit(result.appointmentId);
    } catch (error) {
      setRefusal(refusalOf(error, i18n, INPUTS));
    } finally {
      setSaving(false);
    }
  }

  return (
    <UnfinishedDatesContext value={dates}>
      <Stack gap="md" onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && void save()}>
        <Stack gap={6}>
          <Group justify="space-between">
            <Text fw={600} size="sm">{t('booking.client')}</Text>
            <SegmentedControl size="xs" value={mode} onChange={(v) => setMode(v as 'existing' | 'new')} data={[{ value: 'existing', label: t('booking.findClient') }, { value: 'new', label: t('booking.newClient') }]} data-testid="client-mode" />
          </Group>
          {mode === 'existing' ? (
            <Select
              data-testid="client-select"
              aria-label={t('booking.client')}
              placeholder={t('booking.searchPlaceholder')}
              searchable
              // The modal's focus trap starts on [data-autofocus] (autoFocus alone left it on the close button). Its list
              // opens on typing or ↓, not on that focus (the theme's default for every list: main.tsx).
              data-autofocus
              data={clientOptions}
              error={fieldError('client')}
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
              <TextInput label={t('booking.firstName')} required data-testid="new-client-first" value={newClient.firstName} error={fieldError('client.firstName')} onChange={(e) => setNewClient({ ...newClient, firstName: e.currentTarget.value })} />
              <TextInput label={t('booking.lastName')} data-testid="new-client-last" value={newClient.lastName} error={fieldError('client.lastName')} onChange={(e) => setNewClient({ ...newClient, lastName: e.currentTarget.value })} />
              <TextInput label={t('booking.phone')} description={t('booking.phoneHint', { country: location.countryCode })} data-testid="new-client-phone" value={newClient.phone} error={fieldError('client.phone')} onChange={(e) => setNewClient({ ...newClient, phone: e.currentTarget.value })} />
              <TextInput label={t('booking.email')} description={t('booking.emailHint')} data-testid="new-client-email" value={newClient.email} error={fieldError('client.email')} onChange={(e) => setNewClient({ ...newClient, email: e.currentTarget.value })} />
            </SimpleGrid>
          )}
        </Stack>
        <SimpleGrid cols={2} spacing="sm">
          <Select
            label={t('booking.specialist')}
            data-testid="staff-select"
            data={specialists.map((s) => ({ value: s.id, label: `${s.name}${s.title ? ` — ${s.title}` : ''}` }))}
            value={staffId}
            error={fieldError('staffId')}
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
            error={fieldError('serviceIds')}
            onChange={setServiceIds}
            searchable
            placeholder={serviceIds.length === 0 ? t('booking.chooseServices') : undefined}
          />
          <DateField label={t('booking.date')} data-testid="booking-date" value={date} error={fieldError('start.date')} onChange={setDate} />
          <Group grow gap="sm" align="flex-start">
            <TimeField label={t('booking.time')} data-testid="booking-time" value={time} error={fieldError('start.time', 'start')} onChange={setTime} />
            <NumberInput label={t('booking.minutes')} data-testid="booking-duration" min={5} max={720} step={5} value={duration} onChange={setDuration} error={fieldError('end')} placeholder={total.ok ? String(total.value) : '—'} />
          </Group>
        </SimpleGrid>
        <Textarea label={t('booking.notes')} autosize minRows={1} maxRows={4} value={notes} error={fieldError('notes')} onChange={(e) => setNotes(e.currentTarget.value)} />
        {start.ok && minutes > 0 && (
          <Text size="sm" c="dimmed" data-testid="booking-summary">
            {t('booking.summary', { date: format.date(startMs), from: format.time(startMs), to: format.time(startMs + minutes * 60_000), minutes, zone: location.timeZone })}
          </Text>
        )}
        {warnings.length > 0 && (
          <Alert color="yellow" variant="light" title={t('booking.check')} data-testid="booking-warnings">
            <List size="sm" spacing={2}>
              {warnings.map((w) => <List.Item key={w.kind + (w.appointmentId ?? '')}>{t(`booking.warning.${w.kind}`, issueParams(i18n, w.params))}</List.Item>)}
            </List>
          </Alert>
        )}
        {refusal.general.length > 0 && <Alert color="red" variant="light" data-testid="booking-error">{refusal.general.join(' ')}</Alert>}
        <Group justify="flex-end" className="fd-dialog-actions">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={() => void save()} loading={saving} title={t('common.saveShortcut')} aria-keyshortcuts="Control+Enter" data-testid="booking-save">
            {warnings.length > 0 ? t('booking.bookAnyway') : t('booking.book')}
          </Button>
        </Group>
      </Stack>
    </UnfinishedDatesContext>
  );
}
