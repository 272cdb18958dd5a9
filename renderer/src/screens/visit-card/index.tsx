import { memo, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Divider, Drawer, Group, Modal, MultiSelect, Select, Stack, Text, TextInput, Timeline, Title } from '@mantine/core';
import type { Appointment, AppointmentChange, AppointmentStatus } from '../../../../shared/domain/appointment.ts';
import { nextStatuses, offeredIssues } from '../../../../shared/domain/booking-edits.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { utcToWallClock } from '../../../../shared/domain/zoned-time.ts';
import { useNow } from '../../app/clock.ts';
import { useConnection } from '../../app/connection-context.ts';
import { DateField, TimeField } from '../../app/fields.tsx';
import { UnfinishedDatesContext, useUnfinishedDates } from '../../app/unfinished-dates.ts';
import { useI18n, type Translate } from '../../app/i18n.ts';
import { NO_REFUSAL, issueText, refusalOf, type Refusal } from '../../app/issues.ts';
import { confirmDiscard, useUnsavedChanges } from '../../app/unsaved.ts';
import { RouteAnchor } from '../../app/route-links.tsx';
import { useEscapeClosesTopmost } from '../../app/escape-topmost.ts';
import { revisionHeight, revisionOf, useMessagesQuery, useRxDocument, type LiveQueryOptions } from '../../data/hooks.ts';
import { jobIdsKey, jobsLogQuery, visitJobsQuery } from '../../data/queries.ts';
import { SalonGate } from '../../data/salon-gate.tsx';
import { useSalon } from '../../data/salon.ts';
import { STATUS_COLORS, calendarStaff } from '../calendar/calendar-model.ts';
import { changeLabel, statusLabel, useUiFormat, type UiFormat } from '../calendar/ui-format.ts';
import { EditPanel } from './edit-panel.tsx';
import { LengthForm } from './length-form.tsx';
import { MessageList } from './messages.tsx';
import { PaymentsSection } from './payments.tsx';
import { prefetchVisit } from './prefetch-visit.ts';
import { statusActionKey } from './status-actions.ts';
import { useDisplayPhone } from '../../app/phone-display.ts';

const NO_SCROLL_BAR_REMOVAL = { removeScrollBar: false };
/**
 * The card is there in the click's own task and frame. With Mantine's slide-in the drawer's content mounted only at
 * the next animation frame, and then took 200 ms to slide into place.
 */
const NO_TRANSITION = { duration: 0 };
/** The visit's messages are what the card is opened for: shown in the task their answer came in. */
const AT_ONCE: LiveQueryOptions = { renderAtOnce: true };

/** The drawer's dialog element, told apart from the questions opened over it (see useEscapeClosesTopmost). */
const CARD_CLASS = 'fd-visit-card';

export function VisitCard({ visitId, onClose }: { visitId: string | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const close = () => void confirmDiscard().then((discard) => discard && onClose());
  useEscapeClosesTopmost(visitId !== undefined, CARD_CLASS, close);
  return (
    // A new time, specialist or services chosen and not saved yet: closing the card asks first.
    // The page behind still does not scroll, but its scroll bar is not hidden: that takes a <style> element added at
    // every open, and a new style sheet restyles the whole page (the calendar's hundreds of blocks).
    <Drawer removeScrollProps={NO_SCROLL_BAR_REMOVAL} transitionProps={NO_TRANSITION} opened={visitId !== undefined} onClose={close} closeOnEscape={false} classNames={{ content: CARD_CLASS }} position="right" size={620} closeButtonProps={{ 'aria-label': t('common.close') }} title={<Text fw={700} size="lg">{t('visit.title')}</Text>} data-testid="visit-card">
      {visitId && (
        <SalonGate>
          <VisitBody id={visitId} />
        </SalonGate>
      )}
    </Drawer>
  );
}

type Editing = 'move' | 'length' | 'staff' | 'services';

interface Target {
  appointmentId: string;
  expectedRevision: string;
}

function VisitBody({ id }: { id: string }) {
  const { api } = useConnection();
  const salon = useSalon();
  const format = useUiFormat();
  const i18n = useI18n();
  const { t } = i18n;
  const { doc: appointment, loading } = useRxDocument('appointments', id);
  const { doc: client, loading: clientLoading } = useRxDocument('clients', appointment?.clientId);
  const displayPhone = useDisplayPhone();
  // Asked for beside the visit, not once it is read: the card's messages are then one round trip (their log entries)
  // away. Read by the messages section itself, so that their answer re-renders that section, not the whole card.
  useEffect(() => prefetchVisit(id), [id]);
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [busy, setBusy] = useState(false);
  // The revision an answered edit wrote, until the card shows it (see `run`).
  const [awaited, setAwaited] = useState<string | undefined>();
  const now = useNow(30_000);
  // Cancel and restore are things the client hears about: they ask first (StatusConfirm).
  const [confirming, setConfirming] = useState<'cancelled' | 'booked' | undefined>();
  const [editing, setEditingState] = useState<Editing | undefined>();
  const moveButton = useRef<HTMLButtonElement>(null);
  const lengthButton = useRef<HTMLButtonElement>(null);
  const staffButton = useRef<HTMLButtonElement>(null);
  const servicesButton = useRef<HTMLButtonElement>(null);
  const openerOf = (form: Editing) => (form === 'move' ? moveButton : form === 'length' ? lengthButton : form === 'staff' ? staffButton : servicesButton);
  const setEditing = (next: typeof editing) => {
    setRefusal(NO_REFUSAL);
    setEditingState(next);
  };
  const toggleEditing = (form: Editing) => setEditing(editing === form ? undefined : form);
  // Escape in a form: it closes, its changes dropped once the receptionist says so; the card stays.
  const closeEditing = () => void confirmDiscard().then((discard) => discard && setEditing(undefined));

  // The visit shows with its client: a new booking's client is read only once the visit names it, and meanwhile the
  // card would show "…" for the name and "No contacts" beside it.
  if (!appointment || clientLoading) {
    return loading || clientLoading ? <Text c="dimmed">{t('common.loading')}</Text> : <Alert color="yellow" title={t('visit.notFound')} data-testid="visit-missing">{t('visit.notFoundBody', { id })}</Alert>;
  }
  const a = appointment;
  if (awaited !== undefined && revisionHeight(revisionOf(a)) >= revisionHeight(awaited)) {
    setAwaited(undefined);
    setEditingState(undefined);
  }
  const working = busy || awaited !== undefined;
  const staff = salon.staffById.get(a.staffId);
  const services = a.serviceIds.map((sid) => salon.serviceById.get(sid));

  /**
   * Sends one edit command for the visit as the desk sees it (its revision), and shows what the host refused next
   * to the inputs of `inputs`; a visit changed elsewhere meanwhile is refused, and the card already shows the change.
   */
  async function run(command: (target: Target) => Promise<{ revision: string }>, inputs: readonly string[] = []) {
    setRefusal(NO_REFUSAL);
    setBusy(true);
    try {
      const answer = await command({ appointmentId: a.id, expectedRevision: revisionOf(a) });
      // The answer comes on the API channel and the visit's new version on the storage channel, sometimes later: the
      // edit stays busy until the card shows that version. Done at the answer, the card still showed the old time, and
      // an edit sent meanwhile carried the old revision and was refused as changed at another desk.
      setAwaited(answer.revision);
    } catch (error) {
      setRefusal(refusalOf(error, i18n, inputs));
    } finally {
      setBusy(false);
    }
  }
  const setStatus = (to: AppointmentStatus) => {
    if ((to === 'cancelled' || (to === 'booked' && a.status === 'cancelled')) && confirming === undefined) return setConfirming(to);
    void run((target) => api.call('appointments.setStatus', { ...target, status: to as Exclude<AppointmentStatus, 'cancelled'> }));
  };
  const cancel = (notifyClient: boolean, reason: string) => {
    setConfirming(undefined);
    void run((target) => api.call('appointments.cancel', { ...target, notifyClient, ...(reason.trim() ? { reason: reason.trim() } : {}) }));
  };
  const restore = () => {
    setConfirming(undefined);
    void run((target) => api.call('appointments.setStatus', { ...target, status: 'booked' }));
  };

  return (
    <Stack gap="md" data-testid="visit-body" data-status={a.status}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3} data-testid="visit-client-name">
            {client ? (
              <RouteAnchor inherit c="inherit" route={{ screen: 'clients', params: [client.id] }} data-testid="visit-client-link">{clientDisplayName(client)}</RouteAnchor>
            ) : '…'}
          </Title>
          <Text c="dimmed" size="sm">
            {client?.phone || client?.email ? <span data-testid="visit-client-contacts">{[client.phone && displayPhone(client.phone), client.email].filter(Boolean).join(' · ')}</span> : t('visit.noContacts')}
          </Text>
        </div>
        <Badge size="lg" variant="light" color={STATUS_COLORS[a.status]} data-testid="visit-status">{statusLabel(t, a.status)}</Badge>
      </Group>

      <StatusConfirm
        kind={confirming}
        clientName={client?.firstName ?? t('center.event.unknownClient')}
        when={`${format.date(a.startMs)}, ${format.time(a.startMs)}`}
        onCancelVisit={cancel}
        onRestore={restore}
        onClose={() => setConfirming(undefined)}
      />
      <Card withBorder radius="md" padding="md">
        {/* Mantine's SimpleGrid adds a <style> element per grid, and a new style sheet restyles the whole page: with the
            calendar's blocks behind the card that was the longest step of opening it. The same grid in plain CSS. */}
        <div style={FIELD_GRID}>
          <Field label={t('visit.when')} testId="visit-when">
            {format.date(a.startMs)}, {format.time(a.startMs)}–{format.time(Date.parse(a.end))}
          </Field>
          <Field label={t('visit.specialist')} testId="visit-staff">
            <Group gap={6} wrap="nowrap">
              <span style={{ width: 10, height: 10, borderRadius: 3, background: staff?.color ?? '#868e96', display: 'inline-block' }} />
              {staff?.name ?? t('cal.unknownStaff')}
            </Group>
          </Field>
          <Field label={t('visit.services')} testId="visit-services">
            {services.map((s, i) => <div key={a.serviceIds[i]}>{s ? `${s.name} · ${s.durationMinutes} ${t('common.minutes')}` : t('cal.removedService')}</div>)}
          </Field>
          <Field label={t('visit.price')}>{a.priceMinor !== undefined ? format.money(a.priceMinor) : '—'}</Field>
          <Field label={t('visit.booked')}>{a.source === 'desk' ? t('visit.source.desk') : a.source === 'online' ? t('visit.source.online') : t('visit.source.sync')}, {format.dateTime(Date.parse(a.createdAt))}</Field>
          {a.notes && <Field label={t('visit.notes')}>{a.notes}</Field>}
        </div>
        <Divider my="sm" />
        <Group gap="xs">
          {nextStatuses(a.status, { appointment: a, now }).map((to) => (
            <Button key={to} size="xs" variant={to === 'cancelled' || to === 'noShow' ? 'light' : 'filled'} color={to === 'cancelled' ? 'red' : to === 'noShow' ? 'orange' : to === 'completed' ? 'gray' : to === 'arrived' ? 'teal' : undefined} data-testid={`status-${to}`} disabled={working} onClick={() => setStatus(to)}>
              {t(statusActionKey(a.status, to))}
            </Button>
          ))}
          <Button ref={moveButton} size="xs" variant="default" data-testid="visit-move" aria-expanded={editing === 'move'} onClick={() => toggleEditing('move')}>{t('visit.move')}</Button>
          <Button ref={lengthButton} size="xs" variant="default" data-testid="visit-length" aria-expanded={editing === 'length'} onClick={() => toggleEditing('length')}>{t('visit.length')}</Button>
          <Button ref={staffButton} size="xs" variant="default" data-testid="visit-reassign" aria-expanded={editing === 'staff'} onClick={() => toggleEditing('staff')}>{t('visit.reassign')}</Button>
          <Button ref={servicesButton} size="xs" variant="default" data-testid="visit-change-services" aria-expanded={editing === 'services'} onClick={() => toggleEditing('services')}>{t('visit.changeServices')}</Button>
        </Group>
        {editing !== undefined && (
          <EditPanel key={editing} opener={openerOf(editing)} onClose={closeEditing}>
            {editing === 'move' && (
              <MoveForm appointment={a} errors={refusal.fields} busy={working} onSave={(start) => void run((target) => api.call('appointments.move', { ...target, start }), ['start', 'start.date', 'start.time'])} />
            )}
            {editing === 'length' && (
              <LengthForm appointment={a} errors={refusal.fields} busy={working} onSave={(end) => void run((target) => api.call('appointments.changeDuration', { ...target, end }), ['end', 'end.date', 'end.time'])} />
            )}
            {editing === 'staff' && <StaffForm appointment={a} errors={refusal.fields} busy={working} onSave={(staffId) => void run((target) => api.call('appointments.reassign', { ...target, staffId }), ['staffId'])} />}
            {editing === 'services' && (
              <ServicesForm appointment={a} errors={refusal.fields} busy={working} onSave={(serviceIds) => void run((target) => api.call('appointments.changeServices', { ...target, serviceIds }), ['serviceIds'])} />
            )}
          </EditPanel>
        )}
        {refusal.general.length > 0 && <Alert mt="sm" color="red" variant="light" data-testid="visit-error">{refusal.general.join(' ')}</Alert>}
      </Card>

      <PaymentsSection appointment={a} client={client} />

      <MessagesSection visitId={a.id} />

      <Stack gap="xs">
        <Text fw={650}>{t('visit.history')}</Text>
        <Timeline bulletSize={14} lineWidth={2} active={a.history.length} data-testid="visit-history">
          {[...a.history].reverse().map((change, i) => (
            <Timeline.Item key={`${change.at}-${i}`} title={<Text size="sm" fw={600}>{changeLabel(t, change.kind)}</Text>} data-testid="history-entry" data-kind={change.kind}>
              <Text size="xs" c="dimmed">{describeChange(change, format, salon, t)} · {format.dateTime(Date.parse(change.at))} · {t('visit.by', { who: change.by })}</Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
    </Stack>
  );
}

/** Memoised: the card's other parts re-render (a tick of the clock, an edit) without it, and its answers without them. */
const MessagesSection = memo(function MessagesSection({ visitId }: { visitId: string }) {
  const { t } = useI18n();
  const jobs = useMessagesQuery<Job>((db) => visitJobsQuery(db, visitId), [visitId], AT_ONCE);
  const key = jobIdsKey(jobs.docs.map((j) => j.id));
  const log = useMessagesQuery<DeliveryLogEntry>((db) => jobsLogQuery(db, key), [key], AT_ONCE);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={650}>{t('visit.messages')}</Text>
        <Text size="xs" c="dimmed">{t('visit.messagesCount', { count: jobs.docs.length })}</Text>
      </Group>
      <MessageList jobs={jobs.docs} log={log.docs} loading={jobs.loading} />
    </Stack>
  );
});

const FIELD_GRID: React.CSSProperties = { display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 'var(--mantine-spacing-xs) var(--mantine-spacing-sm)' };

function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>{label}</Text>
      <Text size="sm" component="div" data-testid={testId}>{children}</Text>
    </div>
  );
}

interface EditFormProps<T> {
  appointment: Appointment;
  /** Issue texts by request field. */
  errors: Record<string, string>;
  busy: boolean;
  onSave: (value: T) => void;
}

/** A new local date and time in the salon's zone; the host reads them (and refuses a time the clocks skip). */
/** One row, Save beside the time: wrapped under the date (Russian's longer label), it sat under the date's calendar. */
function MoveForm({ appointment, errors, busy, onSave }: EditFormProps<{ date: string; time: string }>) {
  const { location } = useSalon();
  const { t } = useI18n();
  const wall = utcToWallClock(appointment.startMs, location.timeZone);
  const [date, setDate] = useState(wall.date);
  const [time, setTime] = useState(wall.time);
  const dates = useUnfinishedDates();
  useUnsavedChanges(date !== wall.date || time !== wall.time);
  return (
    <UnfinishedDatesContext value={dates}>
      <Group mt="sm" align="flex-start" gap="sm">
        <DateField label={t('visit.newDate')} value={date} onChange={setDate} error={errors['start.date']} data-testid="move-date" w={160} />
        <TimeField label={t('visit.newTime')} value={time} onChange={setTime} error={errors['start.time'] ?? errors['start']} data-testid="move-time" w={160} />
        <Button mt={25} loading={busy} onClick={() => dates.allFinished() && onSave({ date, time })} type="submit" data-testid="move-save">{t('visit.moveSave')}</Button>
      </Group>
    </UnfinishedDatesContext>
  );
}

function StaffForm({ appointment, errors, busy, onSave }: EditFormProps<string>) {
  const salon = useSalon();
  const { t } = useI18n();
  const [staffId, setStaffId] = useState<string | null>(appointment.staffId);
  useUnsavedChanges(staffId !== appointment.staffId);
  const able = calendarStaff(salon.staff).filter((s) => appointment.serviceIds.every((id) => s.serviceIds.includes(id)) || s.id === appointment.staffId);
  return (
    <Group mt="sm" align="flex-start" gap="sm">
      <Select label={t('visit.specialist')} data={able.map((s) => ({ value: s.id, label: s.name }))} value={staffId} onChange={setStaffId} error={errors['staffId']} data-testid="reassign-select" w={260} />
      <Button mt={25} loading={busy} onClick={() => staffId && onSave(staffId)} type="submit" data-testid="reassign-save">{t('common.save')}</Button>
    </Group>
  );
}

/**
 * The services of the visit. Only what its specialist does is offered (plus what the visit already has); one they do
 * not do is named under the input with the host's own rule and text, and Save waits until it is removed.
 */
function ServicesForm({ appointment, errors, busy, onSave }: EditFormProps<string[]>) {
  const salon = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const [ids, setIds] = useState(appointment.serviceIds);
  useUnsavedChanges(ids.join() !== appointment.serviceIds.join());
  const staff = salon.staffById.get(appointment.staffId);
  const offered = salon.services.filter((s) => ids.includes(s.id) || (s.active && (!staff || staff.serviceIds.includes(s.id))));
  const chosen = ids.map((id) => salon.serviceById.get(id)).filter((s) => s !== undefined);
  const notOffered = staff ? offeredIssues(staff, chosen, () => 'serviceIds') : [];
  const local = notOffered.map((issue) => issueText(i18n, issue)).join(' ');
  return (
    <Group mt="sm" align="flex-start" gap="sm">
      <MultiSelect label={t('visit.services')} data={offered.map((s) => ({ value: s.id, label: `${s.name} · ${s.durationMinutes} ${t('common.minutes')}` }))} value={ids} onChange={setIds} error={local || errors['serviceIds']} searchable w={380} data-testid="services-edit" />
      <Button mt={25} loading={busy} disabled={notOffered.length > 0 || ids.length === 0} onClick={() => onSave(ids)} type="submit" data-testid="services-save">{t('common.save')}</Button>
    </Group>
  );
}

function describeChange(change: AppointmentChange, format: UiFormat, salon: ReturnType<typeof useSalon>, t: Translate): string {
  const when = (iso?: string) => (iso ? `${format.date(Date.parse(iso))} ${format.time(Date.parse(iso))}` : '?');
  const staffName = (sid?: string) => (sid ? salon.staffById.get(sid)?.name ?? sid : '?');
  const serviceNames = (ids?: string) => (ids ? ids.split(',').map((sid) => salon.serviceById.get(sid)?.name ?? sid).join(', ') : '?');
  switch (change.kind) {
    case 'created':
      return change.to ? when(change.to) : '';
    case 'moved':
      return `${when(change.from)} → ${when(change.to)}`;
    case 'durationChanged':
      return `${t('visit.endsAt')} ${change.from ? format.time(Date.parse(change.from)) : '?'} → ${change.to ? format.time(Date.parse(change.to)) : '?'}`;
    case 'reassigned':
      return `${staffName(change.from)} → ${staffName(change.to)}`;
    case 'servicesChanged':
      return `${serviceNames(change.from)} → ${serviceNames(change.to)}`;
    case 'statusChanged':
      return `${isStatus(change.from) ? statusLabel(t, change.from) : change.from} → ${isStatus(change.to) ? statusLabel(t, change.to) : change.to}`;
    default:
      return '';
  }
}

function isStatus(value: string | undefined): value is AppointmentStatus {
  return value !== undefined && ['booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'noShow'].includes(value);
}

/**
 * Asks before what a client will hear about: cancelling (with a reason, and "notify the client", on by default —
 * off, nothing goes out) and restoring a cancelled visit (the client is told it is back on). Focus starts where Enter
 * does what was asked for, safely: the reason of a cancellation (Enter there cancels nothing; the client hears of it
 * only from the red button), the Restore button of a restore (pressed to get here; the visit can be cancelled again).
 */
function StatusConfirm({ kind, clientName, when, onCancelVisit, onRestore, onClose }: { kind: 'cancelled' | 'booked' | undefined; clientName: string; when: string; onCancelVisit(notify: boolean, reason: string): void; onRestore(): void; onClose(): void }) {
  const { t } = useI18n();
  const [notify, setNotify] = useState(true);
  const [reason, setReason] = useState('');
  const close = () => {
    setNotify(true);
    setReason('');
    onClose();
  };
  return (
    <Modal opened={kind !== undefined} onClose={close} closeButtonProps={{ 'aria-label': t('common.close') }} title={<Text fw={700}>{kind === 'booked' ? t('visit.restore.title') : t('visit.cancel.title')}</Text>} data-testid="status-confirm">
      {kind === 'cancelled' && (
        <Stack gap="sm">
          <Text size="sm">{t('visit.cancel.question', { client: clientName, when })}</Text>
          <TextInput label={t('visit.cancel.reason')} placeholder={t('visit.cancel.reasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} data-testid="cancel-reason" data-autofocus />
          <Checkbox label={t('visit.cancel.notify', { client: clientName })} checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} data-testid="cancel-notify" />
          <Text size="sm" c="dimmed" data-testid="cancel-effect">{notify ? t('visit.cancel.willNotify', { client: clientName }) : t('visit.cancel.willNotNotify', { client: clientName })}</Text>
          <Group justify="flex-end" className="fd-dialog-actions">
            <Button variant="default" onClick={close}>{t('visit.cancel.keep')}</Button>
            <Button color="red" onClick={() => { onCancelVisit(notify, reason); setNotify(true); setReason(''); }} data-testid="status-confirm-ok">{t('visit.action.cancelled')}</Button>
          </Group>
        </Stack>
      )}
      {kind === 'booked' && (
        <Stack gap="sm">
          <Text size="sm">{t('visit.restore.question', { client: clientName, when })}</Text>
          <Text size="sm" c="dimmed">{t('visit.restore.effect', { client: clientName })}</Text>
          <Group justify="flex-end" className="fd-dialog-actions">
            <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
            <Button onClick={onRestore} data-testid="status-confirm-ok" data-autofocus>{t('visit.action.booked')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
