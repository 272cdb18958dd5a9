import { useMemo } from 'react';
import { Chip, Grid, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import type { Location } from '../../../../shared/domain/location.ts';
import { clientLanguagesOf } from '../../../../shared/domain/location.ts';
import { COUNTRY_CURRENCY, SALON_COUNTRIES, defaultOpeningHours } from '../../../../shared/domain/location-input.ts';
import { PHONE_RULES } from '../../../../shared/domain/phone.ts';
import type { WorkingHours } from '../../../../shared/domain/staff.ts';
import { WEEKDAYS } from '../../../../shared/domain/staff.ts';
import type { Language } from '../../../../shared/notifications/catalog.ts';
import type { RequestOf } from '../../../../shared/ipc/contract.ts';
import { useI18n } from '../../app/i18n.ts';
import type { Refusal } from '../../app/issues.ts';
import { HoursEditor } from '../staff/hours-editor.tsx';

/** The salon's profile as the form holds it: plain strings, the way they are typed. */
export interface ProfileDraft {
  name: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  countryCode: string;
  phone: string;
  email: string;
  timeZone: string;
  currency: string;
  clientLanguages: Language[];
  openingHours: WorkingHours;
  bookingUrl: string;
  reviewUrl: string;
}

/** The request fields the host's refusals name, so each problem shows next to its input. */
export const PROFILE_INPUTS = [
  'name', 'address.line1', 'address.city', 'address.postalCode', 'phone', 'email', 'countryCode', 'timeZone', 'currency', 'clientLanguages', 'bookingUrl', 'reviewUrl',
  ...WEEKDAYS.map((d) => `openingHours.${d}`),
] as const;

/** The zone of this computer (the browser's or the OS's): what a new salon most likely uses. */
export function detectedTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A new salon's draft: country from the desk's language region if FrontDesk knows it, the zone of this computer. */
export function newProfileDraft(language: Language): ProfileDraft {
  const region = /-([A-Z]{2})\b/.exec(navigator.language)?.[1];
  const countryCode = region && SALON_COUNTRIES.includes(region) ? region : language === 'ru' ? 'RU' : 'DE';
  return {
    name: '', line1: '', line2: '', postalCode: '', city: '', countryCode, phone: '', email: '',
    timeZone: detectedTimeZone(),
    currency: COUNTRY_CURRENCY[countryCode] ?? 'EUR',
    clientLanguages: language === 'ru' ? ['ru', 'en'] : ['en'],
    openingHours: defaultOpeningHours(),
    bookingUrl: '', reviewUrl: '',
  };
}

export function profileDraftOf(location: Location): ProfileDraft {
  return {
    name: location.name,
    line1: location.address.line1,
    line2: location.address.line2 ?? '',
    postalCode: location.address.postalCode,
    city: location.address.city,
    countryCode: location.countryCode,
    phone: location.phone,
    email: location.email ?? '',
    timeZone: location.timeZone,
    currency: location.currency,
    clientLanguages: clientLanguagesOf(location),
    openingHours: location.openingHours ?? defaultOpeningHours(),
    bookingUrl: location.bookingUrl ?? '',
    reviewUrl: location.reviewUrl ?? '',
  };
}

/** The draft as `location.create`'s request (`location.save` takes the same fields plus the location id). */
export function profileRequest(draft: ProfileDraft, withLinks: boolean): RequestOf<'location.create'> {
  return {
    name: draft.name,
    address: { line1: draft.line1, ...(draft.line2.trim() ? { line2: draft.line2 } : {}), city: draft.city, postalCode: draft.postalCode },
    phone: draft.phone,
    email: draft.email,
    countryCode: draft.countryCode,
    timeZone: draft.timeZone,
    currency: draft.currency,
    clientLanguages: draft.clientLanguages,
    openingHours: draft.openingHours,
    ...(withLinks ? { bookingUrl: draft.bookingUrl, reviewUrl: draft.reviewUrl } : {}),
  };
}

function useOptions() {
  const { locale } = useI18n();
  return useMemo(() => {
    const regions = new Intl.DisplayNames([locale], { type: 'region' });
    const currencyNames = new Intl.DisplayNames([locale], { type: 'currency' });
    const countries = SALON_COUNTRIES.map((code) => ({ value: code, label: regions.of(code) ?? code })).sort((a, b) => a.label.localeCompare(b.label, locale));
    const zones = Intl.supportedValuesOf('timeZone');
    const detected = detectedTimeZone();
    const zoneList = zones.includes(detected) ? zones : [detected, ...zones];
    const currencies = Intl.supportedValuesOf('currency').map((code) => ({ value: code, label: `${code} — ${currencyNames.of(code) ?? code}` }));
    return { countries, zones: zoneList, currencies };
  }, [locale]);
}

/**
 * The salon's profile: name, country (it decides how phone numbers typed at the desk are read), address, phone, time
 * zone, currency, the languages clients get messages in, opening hours; the review and booking links in the settings.
 */
export function SalonProfileForm({ draft, onChange, refusal, withLinks }: { draft: ProfileDraft; onChange(next: ProfileDraft): void; refusal: Refusal; withLinks: boolean }) {
  const { t } = useI18n();
  const options = useOptions();
  const set = <K extends keyof ProfileDraft>(key: K, value: ProfileDraft[K]) => onChange({ ...draft, [key]: value });
  const err = refusal.fields;
  const example = PHONE_RULES[draft.countryCode]?.example;
  return (
    <Stack gap="md" data-testid="salon-profile-form">
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <TextInput label={t('setup.salon.name')} required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={err['name']} data-testid="salon-name" data-autofocus />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Select
            label={t('setup.salon.country')}
            description={t('setup.salon.countryHint')}
            required
            searchable
            allowDeselect={false}
            data={options.countries}
            value={draft.countryCode}
            onChange={(code) => code && onChange({ ...draft, countryCode: code, currency: draft.currency === COUNTRY_CURRENCY[draft.countryCode] ? (COUNTRY_CURRENCY[code] ?? draft.currency) : draft.currency })}
            error={err['countryCode']}
            data-testid="salon-country"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <TextInput label={t('setup.salon.street')} required value={draft.line1} onChange={(e) => set('line1', e.currentTarget.value)} error={err['address.line1']} data-testid="salon-street" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <TextInput label={t('setup.salon.line2')} value={draft.line2} onChange={(e) => set('line2', e.currentTarget.value)} data-testid="salon-line2" />
        </Grid.Col>
        <Grid.Col span={{ base: 4, md: 3 }}>
          <TextInput label={t('setup.salon.postalCode')} value={draft.postalCode} onChange={(e) => set('postalCode', e.currentTarget.value)} error={err['address.postalCode']} data-testid="salon-postal" />
        </Grid.Col>
        <Grid.Col span={{ base: 8, md: 3 }}>
          <TextInput label={t('setup.salon.city')} required value={draft.city} onChange={(e) => set('city', e.currentTarget.value)} error={err['address.city']} data-testid="salon-city" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <TextInput label={t('setup.salon.phone')} required placeholder={example} value={draft.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={err['phone']} data-testid="salon-phone" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <TextInput label={t('setup.salon.email')} type="email" value={draft.email} onChange={(e) => set('email', e.currentTarget.value)} error={err['email']} data-testid="salon-email" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Select
            label={t('setup.salon.timeZone')}
            description={t('setup.salon.timeZoneHint', { zone: detectedTimeZone() })}
            required
            searchable
            allowDeselect={false}
            data={options.zones}
            value={draft.timeZone}
            onChange={(zone) => zone && set('timeZone', zone)}
            error={err['timeZone']}
            data-testid="salon-timezone"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Select
            label={t('setup.salon.currency')}
            description={t('setup.salon.currencyHint')}
            required
            searchable
            allowDeselect={false}
            data={options.currencies}
            value={draft.currency}
            onChange={(code) => code && set('currency', code)}
            error={err['currency']}
            data-testid="salon-currency"
          />
        </Grid.Col>
      </Grid>
      <div>
        <Text size="sm" fw={500}>
          {t('setup.salon.languages')}
        </Text>
        <Text size="xs" c="dimmed" mb={6}>
          {t('setup.salon.languagesHint', { language: draft.clientLanguages[0] ? t(`language.${draft.clientLanguages[0]}`) : '—' })}
        </Text>
        <Chip.Group multiple value={draft.clientLanguages} onChange={(next) => set('clientLanguages', next as Language[])}>
          <Group gap="xs" data-testid="salon-languages">
            <Chip value="en" data-testid="salon-language-en">{t('language.en')}</Chip>
            <Chip value="ru" data-testid="salon-language-ru">{t('language.ru')}</Chip>
          </Group>
        </Chip.Group>
        {err['clientLanguages'] && (
          <Text size="xs" c="red" role="alert">
            {err['clientLanguages']}
          </Text>
        )}
      </div>
      {withLinks && (
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TextInput label={t('setup.salon.bookingUrl')} description={t('setup.salon.bookingUrlHint')} placeholder="https://" value={draft.bookingUrl} onChange={(e) => set('bookingUrl', e.currentTarget.value)} error={err['bookingUrl']} data-testid="salon-booking-url" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TextInput label={t('setup.salon.reviewUrl')} description={t('setup.salon.reviewUrlHint')} placeholder="https://" value={draft.reviewUrl} onChange={(e) => set('reviewUrl', e.currentTarget.value)} error={err['reviewUrl']} data-testid="salon-review-url" />
          </Grid.Col>
        </Grid>
      )}
      <div>
        <Title order={5}>{t('setup.salon.openingHours')}</Title>
        <Text size="xs" c="dimmed">
          {t('setup.salon.openingHoursHint')}
        </Text>
        <HoursEditor hours={draft.openingHours} onChange={(hours) => set('openingHours', hours)} errors={err} field="openingHours" testId="opening-hours" idPrefix="opening" />
      </div>
    </Stack>
  );
}
