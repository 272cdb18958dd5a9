import { ActionIcon, Badge, Button, Group, NumberInput, Paper, Select, Stack, Switch, Text } from '@mantine/core';
import { IconClock, IconHourglass, IconPlus, IconTrash, IconWorldPin } from '@tabler/icons-react';
import { TimeField } from '../../app/fields.tsx';
import { useI18n } from '../../app/i18n.ts';
import { TIMING_KIND, type Issue, type NotificationSettings, type NotificationTiming, issueText } from './model.ts';
import { CardTitle } from './card-title.tsx';

interface Props {
  draft: NotificationSettings;
  timeZone: string;
  issues: Issue[];
  onChange(timing: NotificationTiming): void;
  onQuietHours(respect: boolean): void;
}

const UNITS = [
  { value: '1', en: 'minutes', ru: 'минут' },
  { value: '60', en: 'hours', ru: 'часов' },
  { value: '1440', en: 'days (× 24 h)', ru: 'суток (× 24 ч)' },
];

function bestUnit(minutes: number): number {
  if (minutes > 0 && minutes % 1440 === 0) return 1440;
  if (minutes > 0 && minutes % 60 === 0) return 60;
  return 1;
}

export function TimingCard({ draft, timeZone, issues, onChange, onQuietHours }: Props) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const kind = TIMING_KIND[draft.type];
  const timing = draft.timing;
  const errorOf = (field: string) => {
    const issue = issues.find((i) => i.field === `${draft.type}.timing.${field}`);
    return issue ? issueText(issue, i18n) : undefined;
  };
  const elapsed = kind === 'offsets' || kind === 'delay';
  const wallClock = kind === 'daysAt' || kind === 'localTime';

  return (
    <Paper withBorder p="lg" radius="lg" data-testid="timing-card">
      <Group justify="space-between" mb="md">
        <CardTitle icon={<IconClock size={18} />}>{t('settings.timing')}</CardTitle>
        {draft.audience === 'client' && (
          <Switch
            label={t('settings.quietHours')}
            description={t('settings.quietHoursHint')}
            checked={draft.respectQuietHours}
            onChange={(e) => onQuietHours(e.currentTarget.checked)}
            maw={360}
            data-testid="respect-quiet-hours"
          />
        )}
      </Group>

      {kind === 'immediate' && <Text c="dimmed">{t('settings.timing.immediate')}</Text>}

      {kind === 'offsets' && (
        <Stack gap="xs" data-testid="reminder-offsets">
          <Text fw={500} size="sm">
            {t('settings.timing.offsets')}
          </Text>
          {(timing.reminderOffsetsMinutes ?? []).map((minutes, index) => {
            const error = errorOf(`reminderOffsetsMinutes[${index}]`);
            const set = (value: number) => {
              const next = [...(timing.reminderOffsetsMinutes ?? [])];
              next[index] = value;
              onChange({ ...timing, reminderOffsetsMinutes: next });
            };
            const h = Math.floor(minutes / 60);
            const m = minutes % 60;
            return (
              <Stack key={index} gap={2}>
                <Group gap="xs" align="center" data-testid={`reminder-offset-${index}`}>
                  <NumberInput aria-label={t('settings.timing.offsetHours', { n: index + 1 })} w={96} min={0} max={720} value={h} suffix={` ${t('settings.timing.hours')}`} onChange={(v) => set(Number(v || 0) * 60 + m)} error={Boolean(error)} />
                  <NumberInput aria-label={t('settings.timing.offsetMinutes', { n: index + 1 })} w={104} min={0} max={59} step={5} value={m} suffix={` ${t('common.minutes')}`} onChange={(v) => set(h * 60 + Number(v || 0))} error={Boolean(error)} />
                  <Text size="sm" c="dimmed">
                    {t('settings.timing.before')}
                  </Text>
                  <ActionIcon variant="subtle" color="red" aria-label={t('settings.timing.removeOffset', { n: index + 1 })} onClick={() => onChange({ ...timing, reminderOffsetsMinutes: (timing.reminderOffsetsMinutes ?? []).filter((_, i) => i !== index) })}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
                {error && (
                  <Text c="red" size="xs">
                    {error}
                  </Text>
                )}
              </Stack>
            );
          })}
          {errorOf('reminderOffsetsMinutes') && (
            <Text c="red" size="xs">
              {errorOf('reminderOffsetsMinutes')}
            </Text>
          )}
          <Group>
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPlus size={14} />}
              disabled={(timing.reminderOffsetsMinutes ?? []).length >= 5}
              onClick={() => onChange({ ...timing, reminderOffsetsMinutes: [...(timing.reminderOffsetsMinutes ?? []), 60] })}
            >
              {t('settings.timing.addOffset')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed" maw={560} data-testid="late-reminder-rule">
            {t('settings.timing.lateRule')}
          </Text>
        </Stack>
      )}

      {kind === 'delay' && (
        <DelayInput minutes={timing.delayMinutes ?? 0} language={language} label={t('settings.timing.delay')} unitLabel={t('settings.timing.delayUnit')} error={errorOf('delayMinutes')} onChange={(delayMinutes) => onChange({ ...timing, delayMinutes })} />
      )}

      {wallClock && (
        <Group align="flex-start">
          {kind === 'daysAt' && (
            <NumberInput label={t('settings.timing.daysBefore')} w={160} min={0} max={365} value={timing.daysBefore ?? 0} onChange={(v) => onChange({ ...timing, daysBefore: Number(v || 0) })} error={errorOf('daysBefore')} data-testid="days-before" />
          )}
          <TimeField label={t('settings.timing.localTime')} w={170} value={timing.localTime ?? ''} onChange={(localTime) => onChange({ ...timing, localTime })} error={errorOf('localTime')} data-testid="local-time" />
          {kind === 'localTime' && (
            <Text size="sm" c="dimmed" maw={380} mt={28}>
              {t('settings.timing.repeatNote')}
            </Text>
          )}
        </Group>
      )}

      <Stack gap={6} mt="lg" data-testid="timing-rules">
        <Rule active={elapsed} icon={<IconHourglass size={14} />} text={t('settings.timing.elapsedRule')} />
        <Rule active={wallClock} icon={<IconWorldPin size={14} />} text={t('settings.timing.wallClockRule', { zone: timeZone })} />
      </Stack>
    </Paper>
  );
}

function Rule({ active, icon, text }: { active: boolean; icon: React.ReactNode; text: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      {/* Only the icon fades for a rule that does not apply: faded text would fall below AA contrast. */}
      <Badge variant={active ? 'light' : 'outline'} color={active ? 'grape' : 'gray'} size="sm" circle opacity={active ? 1 : 0.6}>
        {icon}
      </Badge>
      <Text size="xs" c={active ? undefined : 'dimmed'}>
        {text}
      </Text>
    </Group>
  );
}

function DelayInput({ minutes, language, label, unitLabel, error, onChange }: { minutes: number; language: 'en' | 'ru'; label: string; unitLabel: string; error: string | undefined; onChange(minutes: number): void }) {
  const unit = bestUnit(minutes);
  return (
    <Group align="flex-end" gap="xs" data-testid="delay-input">
      <NumberInput label={label} w={140} min={0} value={minutes / unit} onChange={(v) => onChange(Math.round(Number(v || 0) * unit))} error={error} />
      <Select
        aria-label={unitLabel}
        w={170}
        allowDeselect={false}
        data={UNITS.map((u) => ({ value: u.value, label: u[language] }))}
        value={String(unit)}
        onChange={(next) => next && onChange(Math.round((minutes / unit) * Number(next)))}
        mb={error ? 22 : 0}
      />
    </Group>
  );
}
