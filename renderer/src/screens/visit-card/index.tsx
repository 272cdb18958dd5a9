import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Divider, Drawer, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput, Timeline, Title } from '@mantine/core';
import type { Appointment, AppointmentChange, AppointmentStatus } from '../../../../shared/domain/appointment.ts';
import { CHANGE_LABELS, STATUS_LABELS, changeServices, changeStatus, moveAppointment, nextStatuses, reassignAppointment, type EditResult } from '../../../../shared/domain/booking-edits.ts';
import { clientDisplayName } from '../../../../shared/domain/client.ts';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { utcToWallClock, wallClockToUtc } from '../../../../shared/domain/zoned-time.ts';
import { navigate } from '../../app/router.ts';
import { writeErrorMessage } from '../../data/database.ts';
import { useDatabase, useRxDocument, useRxQuery } from '../../data/hooks.ts';
import { SalonGate } from '../../data/salon-gate.tsx';
import { useFormat, useSalon } from '../../data/salon.ts';
import { STATUS_COLORS, calendarStaff } from '../calendar/calendar-model.ts';
import { MessageList } from './messages.tsx';

export function VisitCard({ visitId, onClose }: { visitId: string | undefined; onClose: () => void }) {
  return (
    <Drawer opened={visitId !== undefined} onClose={onClose} position="right" size={620} title={<Text fw={700} size="lg">Visit</Text>} data-testid="visit-card">
      {visitId && (
        <SalonGate>
          <VisitBody id={visitId} />
        </SalonGate>
      )}
    </Drawer>
  );
}

const STATUS_ACTION: Record<AppointmentStatus, string> = {
  booked: 'Restore booking',
  confirmed: 'Confirmed by client',
  arrived: 'Mark arrived',
  completed: 'Mark completed',
  cancelled: 'Cancel visit',
  noShow: 'No-show',
};

function VisitBody({ id }: { id: string }) {
  const db = useDatabase();
  const salon = useSalon();
  const format = useFormat();
  const { doc: appointment, loading } = useRxDocument('appointments', id);
  const { doc: client } = useRxDocument('clients', appointment?.clientId);
  const [error, setError] = useState<string | undefined>();
  const [editing, setEditing] = useState<'move' | 'staff' | 'services' | undefined>();

  if (!appointment) {
    return loading ? <Text c="dimmed">Loading…</Text> : <Alert color="yellow" title="Visit not found" data-testid="visit-missing">No visit with id {id} exists in this salon (it may have been removed on another desk).</Alert>;
  }
  const a = appointment;
  const staff = salon.staffById.get(a.staffId);
  const services = a.serviceIds.map((sid) => salon.serviceById.get(sid));

  async function apply(edit: (current: Appointment) => EditResult) {
    if (!db) return;
    setError(undefined);
    const doc = await db.appointments.findOne(id).exec();
    if (!doc) return setError('This visit no longer exists.');
    let failure: string | undefined;
    try {
      await doc.incrementalModify((current) => {
        const result = edit(current as Appointment);
        if (!result.ok) {
          failure = result.error;
          return current;
        }
        return result.value;
      });
      if (failure) setError(capitalize(failure) + '.');
      else setEditing(undefined);
    } catch (e) {
      setError(writeErrorMessage(e, 'appointments'));
    }
  }

  return (
    <Stack gap="md" data-testid="visit-body" data-status={a.status}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3} data-testid="visit-client-name">
            {client ? (
              <Anchor inherit c="inherit" onClick={() => navigate({ screen: 'clients', params: [client.id] })}>{clientDisplayName(client)}</Anchor>
            ) : '…'}
          </Title>
          <Text c="dimmed" size="sm">
            {[client?.phone, client?.email].filter(Boolean).join(' · ') || 'No contacts'}
          </Text>
        </div>
        <Badge size="lg" variant="light" color={STATUS_COLORS[a.status]} data-testid="visit-status">{STATUS_LABELS[a.status]}</Badge>
      </Group>

      <Card withBorder radius="md" padding="md">
        <SimpleGrid cols={2} spacing="sm" verticalSpacing="xs">
          <Field label="When" testId="visit-when">
            {format.date(a.startMs)}, {format.time(a.startMs)}–{format.time(Date.parse(a.end))}
          </Field>
          <Field label="Specialist" testId="visit-staff">
            <Group gap={6} wrap="nowrap">
              <span style={{ width: 10, height: 10, borderRadius: 3, background: staff?.color ?? '#868e96', display: 'inline-block' }} />
              {staff?.name ?? 'Unknown'}
            </Group>
          </Field>
          <Field label="Services" testId="visit-services">
            {services.map((s, i) => <div key={a.serviceIds[i]}>{s ? `${s.name} · ${s.durationMinutes} min` : 'Removed service'}</div>)}
          </Field>
          <Field label="Price">{a.priceMinor !== undefined ? format.money(a.priceMinor) : '—'}</Field>
          <Field label="Booked">{a.source === 'desk' ? 'At the desk' : a.source === 'online' ? 'Online form' : 'From another desk'}, {format.dateTime(Date.parse(a.createdAt))}</Field>
          {a.notes && <Field label="Notes">{a.notes}</Field>}
        </SimpleGrid>
        <Divider my="sm" />
        <Group gap="xs">
          {nextStatuses(a.status).map((to) => (
            <Button key={to} size="xs" variant={to === 'cancelled' || to === 'noShow' ? 'light' : 'filled'} color={to === 'cancelled' ? 'red' : to === 'noShow' ? 'orange' : to === 'completed' ? 'gray' : to === 'arrived' ? 'teal' : undefined} data-testid={`status-${to}`} onClick={() => void apply((cur) => changeStatus(cur, to, Date.now()))}>
              {STATUS_ACTION[to]}
            </Button>
          ))}
          <Button size="xs" variant="default" data-testid="visit-move" onClick={() => setEditing(editing === 'move' ? undefined : 'move')}>Move</Button>
          <Button size="xs" variant="default" data-testid="visit-reassign" onClick={() => setEditing(editing === 'staff' ? undefined : 'staff')}>Change specialist</Button>
          <Button size="xs" variant="default" data-testid="visit-change-services" onClick={() => setEditing(editing === 'services' ? undefined : 'services')}>Change services</Button>
        </Group>
        {editing === 'move' && <MoveForm appointment={a} onSave={(startMs) => void apply((cur) => moveAppointment(cur, startMs, Date.now()))} />}
        {editing === 'staff' && <StaffForm appointment={a} onSave={(staffId) => void apply((cur) => { const next = salon.staffById.get(staffId); return next ? reassignAppointment(cur, next, Date.now()) : { ok: false, error: 'choose a specialist' }; })} />}
        {editing === 'services' && <ServicesForm appointment={a} onSave={(ids) => void apply((cur) => changeServices(cur, ids, salon.services, Date.now()))} />}
        {error && <Alert mt="sm" color="red" variant="light" data-testid="visit-error">{error}</Alert>}
      </Card>

      <MessagesSection appointmentId={a.id} />

      <Stack gap="xs">
        <Text fw={650}>Change history</Text>
        <Timeline bulletSize={14} lineWidth={2} active={a.history.length} data-testid="visit-history">
          {[...a.history].reverse().map((change, i) => (
            <Timeline.Item key={`${change.at}-${i}`} title={<Text size="sm" fw={600}>{CHANGE_LABELS[change.kind]}</Text>} data-testid="history-entry" data-kind={change.kind}>
              <Text size="xs" c="dimmed">{describeChange(change, format, salon)} · {format.dateTime(Date.parse(change.at))} · by {change.by}</Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Stack>
    </Stack>
  );
}

function MessagesSection({ appointmentId }: { appointmentId: string }) {
  const jobs = useRxQuery<Job>((db) => db.jobs.find({ selector: { subjectId: appointmentId }, sort: [{ dueAt: 'asc' }] }), [appointmentId]);
  const jobIds = jobs.docs.map((j) => j.id);
  const key = jobIds.join('\n');
  const log = useRxQuery<DeliveryLogEntry>((db) => (key === '' ? undefined : db.delivery_log.find({ selector: { jobId: { $in: key.split('\n') } }, sort: [{ atMs: 'asc' }] })), [key]);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={650}>Messages for this visit</Text>
        <Text size="xs" c="dimmed">{jobs.docs.length} planned or sent · updates live</Text>
      </Group>
      <MessageList jobs={jobs.docs} log={log.docs} loading={jobs.loading} />
    </Stack>
  );
}

function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.3}>{label}</Text>
      <Text size="sm" component="div" data-testid={testId}>{children}</Text>
    </div>
  );
}

function MoveForm({ appointment, onSave }: { appointment: Appointment; onSave: (startMs: number) => void }) {
  const { location } = useSalon();
  const wall = utcToWallClock(appointment.startMs, location.timeZone);
  const [date, setDate] = useState(wall.date);
  const [time, setTime] = useState(wall.time);
  return (
    <Group mt="sm" align="flex-end" gap="sm">
      <TextInput label="New date" type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} data-testid="move-date" />
      <TextInput label="New time" type="time" step={300} value={time} onChange={(e) => setTime(e.currentTarget.value)} data-testid="move-time" />
      <Button onClick={() => onSave(wallClockToUtc(date, time, location.timeZone))} data-testid="move-save">Move visit</Button>
    </Group>
  );
}

function StaffForm({ appointment, onSave }: { appointment: Appointment; onSave: (staffId: string) => void }) {
  const salon = useSalon();
  const [staffId, setStaffId] = useState<string | null>(appointment.staffId);
  const able = calendarStaff(salon.staff).filter((s) => appointment.serviceIds.every((id) => s.serviceIds.includes(id)) || s.id === appointment.staffId);
  return (
    <Group mt="sm" align="flex-end" gap="sm">
      <Select label="Specialist" data={able.map((s) => ({ value: s.id, label: s.name }))} value={staffId} onChange={setStaffId} data-testid="reassign-select" w={260} />
      <Button onClick={() => staffId && onSave(staffId)} data-testid="reassign-save">Save</Button>
    </Group>
  );
}

function ServicesForm({ appointment, onSave }: { appointment: Appointment; onSave: (ids: string[]) => void }) {
  const salon = useSalon();
  const [ids, setIds] = useState(appointment.serviceIds);
  return (
    <Group mt="sm" align="flex-end" gap="sm">
      <MultiSelect label="Services" data={salon.services.filter((s) => s.active || ids.includes(s.id)).map((s) => ({ value: s.id, label: `${s.name} · ${s.durationMinutes} min` }))} value={ids} onChange={setIds} searchable w={380} data-testid="services-edit" />
      <Button onClick={() => onSave(ids)} data-testid="services-save">Save</Button>
    </Group>
  );
}

function describeChange(change: AppointmentChange, format: ReturnType<typeof useFormat>, salon: ReturnType<typeof useSalon>): string {
  const when = (iso?: string) => (iso ? `${format.date(Date.parse(iso))} ${format.time(Date.parse(iso))}` : '?');
  const staffName = (sid?: string) => (sid ? salon.staffById.get(sid)?.name ?? sid : '?');
  const serviceNames = (ids?: string) => (ids ? ids.split(',').map((sid) => salon.serviceById.get(sid)?.name ?? sid).join(', ') : '?');
  switch (change.kind) {
    case 'created':
      return change.to ? `for ${when(change.to)}` : 'booked';
    case 'moved':
      return `${when(change.from)} → ${when(change.to)}`;
    case 'reassigned':
      return `${staffName(change.from)} → ${staffName(change.to)}`;
    case 'servicesChanged':
      return `${serviceNames(change.from)} → ${serviceNames(change.to)}`;
    case 'statusChanged':
      return `${STATUS_LABELS[change.from as AppointmentStatus] ?? change.from} → ${STATUS_LABELS[change.to as AppointmentStatus] ?? change.to}`;
    default:
      return '';
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
