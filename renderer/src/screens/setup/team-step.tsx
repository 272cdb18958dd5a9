import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Chip, Grid, Group, NumberInput, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconScissors, IconUser } from '@tabler/icons-react';
import type { Location } from '../../../../shared/domain/location.ts';
import { defaultOpeningHours } from '../../../../shared/domain/location-input.ts';
import { SERVICE_CATEGORIES, type Service, type ServiceCategory } from '../../../../shared/domain/service.ts';
import { STAFF_ROLES, WEEKDAYS, type Staff, type StaffRole, type WorkingHours } from '../../../../shared/domain/staff.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useEditsSinceSend } from '../../app/edits-since-send.ts';
import { useI18n, type Translate } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, type Refusal } from '../../app/issues.ts';
import { useRxQuery } from '../../data/hooks.ts';
import { formatterFor } from '../../data/salon.ts';
import { HoursEditor } from '../staff/hours-editor.tsx';
import { CardTitle } from '../settings/card-title.tsx';

/** A service category's name ("other" is `misc` in the tables: a key ending in `.other` is a plural form there). */
export function categoryLabel(t: Translate, category: ServiceCategory): string {
  return t(`setup.category.${category === 'other' ? 'misc' : category}`);
}

const SERVICE_INPUTS = ['name', 'category', 'durationMinutes', 'priceMinor'] as const;
const STAFF_INPUTS = ['name', 'role', 'serviceIds', ...WEEKDAYS.map((d) => `workingHours.${d}`)] as const;

/**
 * Step 2: the first services and specialists, in minimal inline forms (the staff and services screens have every
 * field). A specialist works the salon's opening hours unless told otherwise.
 */
export function TeamStep({ location, onBack, onDone }: { location: Location; onBack(): void; onDone(): void }) {
  const { t } = useI18n();
  const services = useRxQuery<Service>((db) => db.services.find({ selector: { locationId: location.id }, sort: [{ createdAt: 'asc' }] }), [location.id]);
  const staff = useRxQuery<Staff>((db) => db.staff.find({ selector: { locationId: location.id }, sort: [{ createdAt: 'asc' }] }), [location.id]);
  const money = formatterFor(location).money;
  return (
    <Stack gap="md">
      <Paper withBorder radius="lg" p="lg" data-testid="setup-services">
        <CardTitle icon={<IconScissors size={18} />} color="pink" mb="sm">
          {t('setup.team.services')}
        </CardTitle>
        {services.docs.length > 0 && (
          <Table mb="md" data-testid="setup-service-list">
            <Table.Tbody>
              {services.docs.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td fw={500}>{s.name}</Table.Td>
                  <Table.Td>{categoryLabel(t, s.category)}</Table.Td>
                  <Table.Td>{t('setup.team.minutes', { minutes: s.durationMinutes })}</Table.Td>
                  <Table.Td ta="right">{money(s.priceMinor)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <NewService location={location} />
      </Paper>
      <Paper withBorder radius="lg" p="lg" data-testid="setup-staff">
        <CardTitle icon={<IconUser size={18} />} color="grape" mb="sm">
          {t('setup.team.specialists')}
        </CardTitle>
        {staff.docs.length > 0 && (
          <Table mb="md" data-testid="setup-staff-list">
            <Table.Tbody>
              {staff.docs.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td fw={500}>{s.name}</Table.Td>
                  <Table.Td>{t(`setup.role.${s.role}`)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {s.serviceIds.map((id) => (
                        <Badge key={id} variant="light" size="sm">
                          {services.docs.find((x) => x.id === id)?.name ?? id}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td c="dimmed">{t('setup.team.workDays', { days: WEEKDAYS.filter((d) => s.workingHours[d].length > 0).length })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <NewSpecialist location={location} services={services.docs} />
      </Paper>
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          {t('setup.back')}
        </Button>
        <Group>
          {(services.docs.length === 0 || staff.docs.length === 0) && (
            <Text size="sm" c="dimmed">
              {t('setup.team.later')}
            </Text>
          )}
          <Button onClick={onDone} data-testid="setup-team-next">
            {t('setup.next')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

function NewService({ location }: { location: Location }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [name, setName] = useState('');
  const [category, setCategory] = useState<ServiceCategory>('hair');
  const [minutes, setMinutes] = useState<number | string>(60);
  const [price, setPrice] = useState<number | string>('');
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saving, setSaving] = useState(false);
  const edits = useEditsSinceSend<'name' | 'price'>();
  const editName = (next: string) => {
    edits.edited('name');
    setName(next);
  };
  const editPrice = (next: number | string) => {
    edits.edited('price');
    setPrice(next);
  };
  const add = async () => {
    setSaving(true);
    setRefusal(NO_REFUSAL);
    edits.sending();
    try {
      await api.call('services.save', {
        locationId: location.id,
        name,
        category,
        durationMinutes: Number(minutes) || 0,
        priceMinor: Math.round((Number(price) || 0) * 100),
        repeatIntervalDays: null,
        excludeFromReviewRequests: false,
      });
      // The new row can show before this answer, and the next service be typed meanwhile: that stays.
      if (edits.untouched('name')) setName('');
      if (edits.untouched('price')) setPrice('');
    } catch (e) {
      setRefusal(refusalOf(e, i18n, SERVICE_INPUTS));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void add(); }}>
      <Grid align="flex-end">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <TextInput label={t('setup.team.serviceName')} value={name} onChange={(e) => editName(e.currentTarget.value)} error={refusal.fields['name']} data-testid="service-name" />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 3 }}>
          <Select label={t('setup.team.category')} allowDeselect={false} data={SERVICE_CATEGORIES.map((c) => ({ value: c, label: categoryLabel(t, c) }))} value={category} onChange={(c) => c && setCategory(c as ServiceCategory)} data-testid="service-category" />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <NumberInput label={t('setup.team.duration')} min={5} max={720} step={5} value={minutes} onChange={setMinutes} error={refusal.fields['durationMinutes']} data-testid="service-duration" />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <NumberInput label={t('setup.team.price', { currency: location.currency })} min={0} decimalScale={2} value={price} onChange={editPrice} error={refusal.fields['priceMinor']} data-testid="service-price" />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 1 }}>
          <Button type="submit" loading={saving} leftSection={<IconPlus size={16} />} data-testid="service-add" aria-label={t('setup.team.addService')}>
            {t('setup.add')}
          </Button>
        </Grid.Col>
      </Grid>
      {refusal.general.length > 0 && (
        <Alert color="red" mt="sm">
          {refusal.general.join(' ')}
        </Alert>
      )}
    </form>
  );
}

function NewSpecialist({ location, services }: { location: Location; services: Service[] }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const opening = location.openingHours ?? defaultOpeningHours();
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('specialist');
  const [serviceIds, setServiceIds] = useState<string[]>([]);
  const [sameHours, setSameHours] = useState(true);
  const [hours, setHours] = useState<WorkingHours>(opening);
  const [toasts, setToasts] = useState(true);
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saving, setSaving] = useState(false);
  const edits = useEditsSinceSend<'name' | 'services' | 'hours'>();
  const editName = (next: string) => {
    edits.edited('name');
    setName(next);
  };
  const editServices = (next: string[]) => {
    edits.edited('services');
    setServiceIds(next);
  };
  const editSameHours = (next: boolean) => {
    edits.edited('hours');
    setSameHours(next);
  };
  const editHours = (next: WorkingHours) => {
    edits.edited('hours');
    setHours(next);
  };
  const add = async () => {
    setSaving(true);
    setRefusal(NO_REFUSAL);
    edits.sending();
    try {
      await api.call('staff.save', { locationId: location.id, name, role, serviceIds, workingHours: sameHours ? opening : hours, desktopToasts: toasts });
      // The new row can show before this answer, and the next specialist be entered meanwhile: that stays.
      if (edits.untouched('name')) setName('');
      if (edits.untouched('services')) setServiceIds([]);
      if (edits.untouched('hours')) {
        setSameHours(true);
        setHours(opening);
      }
    } catch (e) {
      setRefusal(refusalOf(e, i18n, STAFF_INPUTS));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Stack gap="sm" data-testid="new-specialist">
      <Grid align="flex-end">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <TextInput label={t('setup.team.staffName')} value={name} onChange={(e) => editName(e.currentTarget.value)} error={refusal.fields['name']} data-testid="staff-name" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Select label={t('setup.team.role')} allowDeselect={false} data={STAFF_ROLES.map((r) => ({ value: r, label: t(`setup.role.${r}`) }))} value={role} onChange={(r) => r && setRole(r as StaffRole)} data-testid="staff-role" />
        </Grid.Col>
      </Grid>
      <div>
        <Text size="sm" fw={500} mb={4}>
          {t('setup.team.staffServices')}
        </Text>
        {services.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('setup.team.noServicesYet')}
          </Text>
        ) : (
          <Chip.Group multiple value={serviceIds} onChange={editServices}>
            <Group gap="xs" data-testid="staff-services">
              {services.map((s) => (
                <Chip key={s.id} value={s.id} size="sm">
                  {s.name}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        )}
        {refusal.fields['serviceIds'] && (
          <Text size="xs" c="red">
            {refusal.fields['serviceIds']}
          </Text>
        )}
      </div>
      <Switch label={t('setup.team.sameHours')} checked={sameHours} onChange={(e) => editSameHours(e.currentTarget.checked)} data-testid="staff-same-hours" />
      {!sameHours && <HoursEditor hours={hours} onChange={editHours} errors={refusal.fields} />}
      <Checkbox label={t('setup.team.toasts')} description={t('setup.team.toastsHint')} checked={toasts} onChange={(e) => setToasts(e.currentTarget.checked)} data-testid="staff-toasts" />
      {refusal.general.length > 0 && <Alert color="red">{refusal.general.join(' ')}</Alert>}
      <Group>
        <Button leftSection={<IconPlus size={16} />} loading={saving} onClick={() => void add()} data-testid="staff-add">
          {t('setup.team.addSpecialist')}
        </Button>
      </Group>
      <Title order={6} c="dimmed" fw={400}>
        {t('setup.team.moreLater')}
      </Title>
    </Stack>
  );
}
