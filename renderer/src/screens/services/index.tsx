/**
 * Services: what the location offers, by category, with duration and price, the repeat-visit interval that plans a
 * "time for your next visit" invitation, the exclusion from review requests, and whether it is still offered. Saved
 * through `services.save`; a service is retired (inactive), never deleted. Route: #/services[/<serviceId>|/new].
 */
import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconScissors } from '@tabler/icons-react';
import { nameIssues } from '../../../../shared/domain/names.ts';
import { SERVICE_CATEGORIES, type Service } from '../../../../shared/domain/service.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { ListEditor, useOpenWhenCreated } from '../../app/list-editor.tsx';
import { NO_REFUSAL, refusalOf, refusalOfIssues, type Refusal } from '../../app/issues.ts';
import { navigate, type Route } from '../../app/router.ts';
import { RouteNavLink } from '../../app/route-links.tsx';
import { useUnsavedChanges } from '../../app/unsaved.ts';
import { revisionOf } from '../../data/hooks.ts';
import { SalonGate } from '../../data/salon-gate.tsx';
import { useFormat, useSalon } from '../../data/salon.ts';

export function ServicesScreen({ route }: { route: Route }) {
  return (
    <SalonGate>
      <ServiceList selected={route.params[0]} created={route.params[1] === 'created'} />
    </SalonGate>
  );
}

function ServiceList({ selected, created }: { selected: string | undefined; created: boolean }) {
  const { services } = useSalon();
  const { t } = useI18n();
  const format = useFormat();
  const byCategory = useMemo(() => SERVICE_CATEGORIES.map((c) => ({ category: c, list: services.filter((s) => s.category === c) })).filter((g) => g.list.length > 0), [services]);
  const service = selected && selected !== 'new' ? services.find((s) => s.id === selected) : undefined;
  return (
    <ListEditor
      testId="services-screen"
      title={t('services.title')}
      newLabel={t('services.new')}
      newIcon={<IconPlus size={16} />}
      newTestId="service-new"
      onNew={() => navigate({ screen: 'services', params: ['new'] })}
      listSpan={5}
      rows={byCategory.map(({ category, list }) => (
        <div key={category}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>{t(`services.category.${category}.label`)}</Text>
          {list.map((s) => (
            <RouteNavLink
              key={s.id}
              active={s.id === selected}
              label={s.name}
              description={`${t('services.minutes', { minutes: s.durationMinutes })} · ${format.money(s.priceMinor)}${s.repeatIntervalDays ? ` · ${t('services.repeatShort', { days: s.repeatIntervalDays })}` : ''}`}
              rightSection={s.active ? undefined : <Badge size="xs" color="gray" variant="light">{t('services.inactive')}</Badge>}
              opacity={s.active ? 1 : 0.65}
              route={{ screen: 'services', params: [s.id] }}
              data-testid="service-row"
            />
          ))}
        </div>
      ))}
      isEmpty={services.length === 0}
      empty={t('services.none')}
      editor={selected === 'new' ? <ServiceForm key="new" /> : service ? <ServiceForm key={service.id} service={service} created={created} /> : undefined}
      placeholder={t('services.choose')}
      placeholderIcon={<IconScissors size={36} stroke={1.3} color="var(--mantine-color-dimmed)" />}
    />
  );
}

const INPUTS = ['name', 'category', 'durationMinutes', 'priceMinor', 'repeatIntervalDays'];

function ServiceForm({ service, created = false }: { service?: Service; created?: boolean }) {
  const { api } = useConnection();
  const { location, services } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const [name, setName] = useState(service?.name ?? '');
  const [category, setCategory] = useState<Service['category']>(service?.category ?? 'hair');
  const [duration, setDuration] = useState<number | string>(service?.durationMinutes ?? 60);
  const [price, setPrice] = useState<number | string>(service ? service.priceMinor / 100 : '');
  const [repeats, setRepeats] = useState(service?.repeatIntervalDays !== undefined);
  const [repeatDays, setRepeatDays] = useState<number | string>(service?.repeatIntervalDays ?? 42);
  const [noReviews, setNoReviews] = useState(service?.excludeFromReviewRequests ?? false);
  const [active, setActive] = useState(service?.active ?? true);
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(created);
  // What the form holds, and what it held when it was last loaded or saved: the unsaved-changes guard compares them.
  const values = JSON.stringify([name, category, String(duration), String(price), repeats, String(repeatDays), noReviews, active]);
  const [savedValues, setSavedValues] = useState(values);
  useUnsavedChanges(values !== savedValues);
  const newEntry = useOpenWhenCreated('services', services);
  const touched = <T,>(setter: (v: T) => void) => (v: T) => {
    setSaved(false);
    setter(v);
  };

  async function save() {
    setSaved(false);
    const local = nameIssues(name, 'service.name', 'name', 'enter the name of the service');
    setRefusal(refusalOfIssues(local, i18n, INPUTS));
    if (local.length > 0) return;
    setSaving(true);
    try {
      const result = await api.call('services.save', {
        locationId: location.id,
        ...(service ? { serviceId: service.id, expectedRevision: revisionOf(service) } : {}),
        name,
        category,
        durationMinutes: typeof duration === 'number' ? duration : Number(duration),
        // Minor units, rounded: 45.5 → 4550 cents.
        priceMinor: Math.round((typeof price === 'number' ? price : Number(price || 0)) * 100),
        repeatIntervalDays: repeats ? (typeof repeatDays === 'number' ? repeatDays : Number(repeatDays)) : null,
        excludeFromReviewRequests: noReviews,
        active,
      });
      setSaved(true);
      setSavedValues(values);
      setRefusal(NO_REFUSAL);
      // The new document's own route; "created" keeps the saved message on the form that replaces this one.
      if (!service) newEntry.opened(result.serviceId);
    } catch (error) {
      setRefusal(refusalOf(error, i18n, INPUTS));
    } finally {
      setSaving(false);
    }
  }

  const errors = refusal.fields;
  return (
    <Card withBorder radius="md" padding="lg" data-testid="service-form">
      <Group justify="space-between" mb="sm">
        <Title order={3} data-testid="service-form-title">{service ? service.name : t('services.new')}</Title>
        <Button onClick={() => void save()} loading={saving || newEntry.waiting} data-testid="service-save">{t('common.save')}</Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput label={t('services.name')} required maxLength={120} value={name} onChange={(e) => touched(setName)(e.currentTarget.value)} error={errors.name} data-testid="service-name" />
        <NativeSelect label={t('services.categoryLabel')} data={SERVICE_CATEGORIES.map((c) => ({ value: c, label: t(`services.category.${c}.label`) }))} value={category} onChange={(e) => touched(setCategory)(e.currentTarget.value as Service['category'])} data-testid="service-category" />
        <NumberInput label={t('services.duration')} suffix={` ${t('common.minutes')}`} min={5} max={720} step={5} allowDecimal={false} value={duration} onChange={touched(setDuration)} error={errors.durationMinutes} data-testid="service-duration" />
        <NumberInput label={t('services.price', { currency: location.currency })} min={0} decimalScale={2} fixedDecimalScale={false} value={price} onChange={touched(setPrice)} error={errors.priceMinor} data-testid="service-price" />
      </SimpleGrid>
      <Stack gap="sm" mt="md">
        <Group align="flex-end" gap="sm">
          <Checkbox label={t('services.repeat')} checked={repeats} onChange={(e) => touched(setRepeats)(e.currentTarget.checked)} data-testid="service-repeats" mb={8} />
          <NumberInput w={140} aria-label={t('services.repeatDays')} suffix={` ${t('services.days')}`} min={1} max={730} allowDecimal={false} disabled={!repeats} value={repeatDays} onChange={touched(setRepeatDays)} error={errors.repeatIntervalDays} data-testid="service-repeat-days" />
        </Group>
        <Text size="sm" c="dimmed" data-testid="service-repeat-effect">
          {repeats ? t('services.repeatEffect', { days: typeof repeatDays === 'number' ? repeatDays : Number(repeatDays) || '…' }) : t('services.repeatOff')}
        </Text>
        <Switch label={t('services.noReviews')} description={t('services.noReviewsHint')} checked={noReviews} onChange={(e) => touched(setNoReviews)(e.currentTarget.checked)} data-testid="service-no-reviews" />
        <Switch label={t('services.active')} description={active ? t('services.activeHint') : t('services.inactiveHint')} checked={active} onChange={(e) => touched(setActive)(e.currentTarget.checked)} data-testid="service-active" />
      </Stack>
      {(saved || refusal.general.length > 0) && (
        <Alert mt="md" variant="light" color={saved ? 'teal' : 'red'} data-testid="service-message">{saved ? t('services.saved') : refusal.general.join(' ')}</Alert>
      )}
    </Card>
  );
}
