/**
 * Staff: who works at the location, in what role, which services they do, their week and their days off, and how
 * team notifications reach them. Saved through `staff.save`; a person who leaves is deactivated (off the calendar and
 * the booking form), never deleted — their past visits keep their name. Route: #/staff[/<staffId>|/new].
 */
import { useMemo, useState } from 'react';
import { Alert, Avatar, Badge, Button, Card, Checkbox, ColorInput, Group, NativeSelect, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconUserPlus } from '@tabler/icons-react';
import { STAFF_ROLES, WEEKDAYS, type Staff, type TimeOff, type WorkingHours } from '../../../../shared/domain/staff.ts';
import { staffNameIssues, timeOffIssues, workingHoursIssues } from '../../../../shared/domain/staff-input.ts';
import { useNow } from '../../app/clock.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { ListEditor, useOpenWhenCreated } from '../../app/list-editor.tsx';
import { NO_REFUSAL, refusalOf, refusalOfIssues, type Refusal } from '../../app/issues.ts';
import { navigate, type Route } from '../../app/router.ts';
import { RouteNavLink } from '../../app/route-links.tsx';
import { useUnsavedChanges } from '../../app/unsaved.ts';
import { UnfinishedDatesContext, useUnfinishedDates } from '../../app/unfinished-dates.ts';
import { revisionOf } from '../../data/hooks.ts';
import { SalonGate } from '../../data/salon-gate.tsx';
import { formatterFor, useSalon } from '../../data/salon.ts';
import { HoursEditor, TimeOffEditor } from './hours-editor.tsx';

export function StaffScreen({ route }: { route: Route }) {
  return (
    <SalonGate>
      <StaffList selected={route.params[0]} created={route.params[1] === 'created'} />
    </SalonGate>
  );
}

const SWATCHES = ['#e64980', '#be4bdb', '#7950f2', '#4c6ef5', '#228be6', '#15aabf', '#12b886', '#40c057', '#fab005', '#fd7e14'];

function StaffList({ selected, created }: { selected: string | undefined; created: boolean }) {
  const { staff } = useSalon();
  const { t } = useI18n();
  // Active people first, then those who left; each group by name (the salon query sorts by name).
  const ordered = useMemo(() => [...staff.filter((s) => s.active), ...staff.filter((s) => !s.active)], [staff]);
  const person = selected && selected !== 'new' ? staff.find((s) => s.id === selected) : undefined;
  return (
    <ListEditor
      testId="staff-screen"
      title={t('staff.title')}
      newLabel={t('staff.new')}
      newIcon={<IconUserPlus size={16} />}
      newTestId="staff-new"
      onNew={() => navigate({ screen: 'staff', params: ['new'] })}
      listSpan={4}
      rows={ordered.map((s) => (
        <RouteNavLink
          key={s.id}
          active={s.id === selected}
          label={s.name}
          description={[t(`staff.role.${s.role}`), s.title].filter(Boolean).join(' · ')}
          leftSection={<Avatar size={30} radius="xl" color="initials" name={s.name} style={s.color ? { background: s.color, color: 'white' } : undefined} />}
          rightSection={s.active ? undefined : <Badge size="xs" color="gray" variant="light">{t('staff.inactive')}</Badge>}
          route={{ screen: 'staff', params: [s.id] }}
          data-testid="staff-row"
          opacity={s.active ? 1 : 0.65}
        />
      ))}
      isEmpty={ordered.length === 0}
      empty={t('staff.none')}
      editor={selected === 'new' ? <StaffForm key="new" /> : person ? <StaffForm key={person.id} person={person} created={created} /> : undefined}
      placeholder={t('staff.choose')}
      placeholderIcon={<IconPlus size={36} stroke={1.3} color="var(--mantine-color-dimmed)" />}
    />
  );
}

const NO_HOURS: WorkingHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const WEEKDAY_HOURS: WorkingHours = { ...NO_HOURS, mon: [{ start: '09:00', end: '18:00' }], tue: [{ start: '09:00', end: '18:00' }], wed: [{ start: '09:00', end: '18:00' }], thu: [{ start: '09:00', end: '18:00' }], fri: [{ start: '09:00', end: '18:00' }] };

interface Form {
  name: string;
  role: Staff['role'];
  title: string;
  color: string;
  serviceIds: string[];
  workingHours: WorkingHours;
  timeOff: TimeOff[];
  desktopToasts: boolean;
  email: string;
  phone: string;
  ntfyTopic: string;
  active: boolean;
}

function formOf(person: Staff | undefined): Form {
  return {
    name: person?.name ?? '',
    role: person?.role ?? 'specialist',
    title: person?.title ?? '',
    color: person?.color ?? '',
    serviceIds: person?.serviceIds ?? [],
    workingHours: person?.workingHours ?? WEEKDAY_HOURS,
    timeOff: person?.timeOff ?? [],
    desktopToasts: person?.desktopToasts ?? false,
    email: person?.email ?? '',
    phone: person?.phone ?? '',
    ntfyTopic: person?.adminPush?.ntfyTopic ?? '',
    active: person?.active ?? true,
  };
}

const INPUTS = ['name', 'role', 'title', 'color', 'serviceIds', 'email', 'phone', 'ntfyTopic', 'timeOff', ...WEEKDAYS.map((d) => `workingHours.${d}`)];

function StaffForm({ person, created = false }: { person?: Staff; created?: boolean }) {
  const { api } = useConnection();
  const { location, services, staff } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<Form>(() => formOf(person));
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(created);
  // The form as last loaded or saved: the unsaved-changes guard compares the edits with it.
  const [savedForm, setSavedForm] = useState<Form>(form);
  useUnsavedChanges(JSON.stringify(form) !== JSON.stringify(savedForm));
  const newEntry = useOpenWhenCreated('staff', staff);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const offered = services.filter((s) => s.active || form.serviceIds.includes(s.id));
  const today = formatterFor(location).localDate(useNow());
  const dates = useUnfinishedDates();

  async function save() {
    if (!dates.allFinished()) return;
    setSaved(false);
    const local = [...staffNameIssues(form.name), ...workingHoursIssues(form.workingHours), ...timeOffIssues(form.timeOff)];
    setRefusal(refusalOfIssues(local, i18n, INPUTS));
    if (local.length > 0) return;
    setSaving(true);
    try {
      const result = await api.call('staff.save', {
        locationId: location.id,
        ...(person ? { staffId: person.id, expectedRevision: revisionOf(person) } : {}),
        name: form.name,
        role: form.role,
        title: form.title,
        ...(form.color ? { color: form.color } : {}),
        serviceIds: form.serviceIds,
        workingHours: form.workingHours,
        timeOff: form.timeOff.map((o) => ({ from: o.from, to: o.to, kind: o.kind, ...(o.note?.trim() ? { note: o.note.trim() } : {}) })),
        desktopToasts: form.desktopToasts,
        email: form.email,
        phone: form.phone,
        ntfyTopic: form.ntfyTopic.trim(),
        active: form.active,
      });
      setSaved(true);
      setSavedForm(form);
      // The new document's own route; "created" keeps the saved message on the form that replaces this one.
      if (!person) newEntry.opened(result.staffId);
    } catch (error) {
      setRefusal(refusalOf(error, i18n, INPUTS));
    } finally {
      setSaving(false);
    }
  }

  const errors = refusal.fields;
  return (
    <Stack gap="md" data-testid="staff-form">
      <Card withBorder radius="md" padding="lg">
        <Group justify="space-between" mb="sm">
          <Title order={3} data-testid="staff-form-title">{person ? person.name : t('staff.new')}</Title>
          <Button onClick={() => void save()} loading={saving || newEntry.waiting} data-testid="staff-save">{t('common.save')}</Button>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t('staff.name')} required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} data-testid="staff-name" maxLength={120} />
          <NativeSelect label={t('staff.roleLabel')} data={STAFF_ROLES.map((r) => ({ value: r, label: t(`staff.role.${r}`) }))} value={form.role} onChange={(e) => set('role', e.currentTarget.value as Staff['role'])} data-testid="staff-role" />
          <TextInput label={t('staff.jobTitle')} placeholder={t('staff.jobTitleHint')} value={form.title} onChange={(e) => set('title', e.currentTarget.value)} maxLength={120} />
          <ColorInput label={t('staff.color')} format="hex" swatches={SWATCHES} value={form.color} onChange={(v) => set('color', v)} error={errors.color} />
        </SimpleGrid>
        <Switch mt="md" label={t('staff.active')} description={form.active ? t('staff.activeHint') : t('staff.inactiveHint')} checked={form.active} onChange={(e) => set('active', e.currentTarget.checked)} data-testid="staff-active" />
      </Card>

      <Card withBorder radius="md" padding="lg">
        <Text fw={650} mb={4}>{t('staff.services')}</Text>
        <Text size="sm" c="dimmed" mb="xs">{t('staff.servicesHint')}</Text>
        {offered.length === 0 ? <Text size="sm" c="dimmed">{t('staff.noServices')}</Text> : (
          <Checkbox.Group value={form.serviceIds} onChange={(v) => set('serviceIds', v)} error={errors.serviceIds}>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing={6} data-testid="staff-services">
              {offered.map((s) => <Checkbox key={s.id} value={s.id} label={s.name} size="sm" />)}
            </SimpleGrid>
          </Checkbox.Group>
        )}
      </Card>

      <Card withBorder radius="md" padding="lg">
        <Text fw={650} mb={4}>{t('staff.hours')}</Text>
        <Text size="sm" c="dimmed" mb="xs">{t('staff.hoursHint', { zone: location.timeZone })}</Text>
        <HoursEditor hours={form.workingHours} onChange={(v) => set('workingHours', v)} errors={errors} />
        <Text fw={650} mt="md" mb={4}>{t('staff.timeOff')}</Text>
        <Text size="sm" c="dimmed" mb="xs">{t('staff.timeOffHint')}</Text>
        <UnfinishedDatesContext value={dates}>
          <TimeOffEditor list={form.timeOff} onChange={(v) => set('timeOff', v)} errors={errors} today={today} />
        </UnfinishedDatesContext>
      </Card>

      <Card withBorder radius="md" padding="lg">
        <Text fw={650} mb={4}>{t('staff.team')}</Text>
        <Text size="sm" c="dimmed" mb="xs">{t('staff.teamHint')}</Text>
        <Switch label={t('staff.toasts')} description={t('staff.toastsHint')} checked={form.desktopToasts} onChange={(e) => set('desktopToasts', e.currentTarget.checked)} mb="sm" data-testid="staff-toasts" />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput label={t('staff.email')} value={form.email} onChange={(e) => set('email', e.currentTarget.value)} error={errors.email} data-testid="staff-email" />
          <TextInput label={t('staff.phone')} description={t('clients.phoneHint', { country: location.countryCode })} value={form.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={errors.phone} data-testid="staff-phone" />
          <TextInput label={t('staff.ntfyTopic')} description={t('staff.ntfyTopicHint')} value={form.ntfyTopic} onChange={(e) => set('ntfyTopic', e.currentTarget.value)} error={errors.ntfyTopic} maxLength={64} />
        </SimpleGrid>
      </Card>
      {(saved || refusal.general.length > 0) && (
        <Alert variant="light" color={saved ? 'teal' : 'red'} data-testid="staff-message">{saved ? t('staff.saved') : refusal.general.join(' ')}</Alert>
      )}
    </Stack>
  );
}
