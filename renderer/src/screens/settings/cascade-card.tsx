import { Badge, Group, NumberInput, Paper, SegmentedControl, Table, Text } from '@mantine/core';
import { IconAppWindow, IconArrowsDown, IconBrandTelegram, IconDeviceDesktop, IconDeviceMobile, IconMail, IconMessage } from '@tabler/icons-react';
import type { ChannelSetting } from '../../../../shared/domain/notification-settings.ts';
import { CLIENT_CHANNELS, SCENARIOS_BY_CHANNEL, STAFF_CHANNELS, type Channel, type Scenario } from '../../../../shared/notifications/catalog.ts';
import { useI18n, type MessageKey } from '../../app/i18n.ts';
import { channelLabel, issueText, type Issue, type NotificationSettings } from './model.ts';
import { CardTitle } from './card-title.tsx';

export const CHANNEL_ICONS: Record<Channel, typeof IconMail> = {
  email: IconMail,
  aggregatorPush: IconDeviceMobile,
  adminPush: IconBrandTelegram,
  brandedPush: IconAppWindow,
  sms: IconMessage,
  desktop: IconDeviceDesktop,
};

/** The default verdict window a channel gets when it is switched on for the first time. */
const DEFAULT_WINDOW: Record<Channel, number> = { email: 10, aggregatorPush: 5, adminPush: 5, brandedPush: 5, sms: 10, desktop: 0 };

export function channelsOf(settings: NotificationSettings): readonly Channel[] {
  return settings.audience === 'client' ? CLIENT_CHANNELS : STAFF_CHANNELS;
}

interface Props {
  draft: NotificationSettings;
  issues: Issue[];
  onChange(channel: Channel, setting: ChannelSetting): void;
}

export function CascadeCard({ draft, issues, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Paper withBorder p="lg" radius="lg" data-testid="cascade-card">
      <CardTitle icon={<IconArrowsDown size={18} />} mb={4}>{t('settings.cascade')}</CardTitle>
      <Text size="sm" c="dimmed" mb="md">
        {t('settings.cascadeHint')}
      </Text>
      {/* The scenarios' words wrap in their segments; narrower still, the table scrolls in its card, not the page. */}
      <Table.ScrollContainer minWidth={440} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="md" striped highlightOnHover data-testid="cascade-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>#</Table.Th>
              <Table.Th>{t('settings.cascade.channel')}</Table.Th>
              <Table.Th>{t('settings.cascade.scenario')}</Table.Th>
              <Table.Th w={170} title={t('settings.cascade.verdictHint')}>
                {t('settings.cascade.verdict')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channelsOf(draft).map((channel, index) => {
              const setting = draft.channels[channel] ?? { scenario: 'off' as Scenario, verdictWindowMinutes: DEFAULT_WINDOW[channel] };
              const Icon = CHANNEL_ICONS[channel];
              const scenarioIssue = issues.find((i) => i.field === `${draft.type}.channels.${channel}`);
              const windowIssue = issues.find((i) => i.field === `${draft.type}.channels.${channel}.verdictWindowMinutes`);
              return (
                <Table.Tr key={channel} data-testid={`cascade-row-${channel}`}>
                  <Table.Td>
                    <Badge variant="light" color="gray" circle>
                      {index + 1}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Icon size={18} stroke={1.6} style={{ flexShrink: 0 }} />
                      <Text fw={500} size="sm">
                        {t(channelLabel(channel))}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <SegmentedControl
                      size="xs"
                      styles={{ label: { whiteSpace: 'normal' } }}
                      data-testid={`scenario-${channel}`}
                      value={setting.scenario}
                      // A darker orange than the theme's: white text on orange-8 is 3.6:1 (AA wants 4.5).
                      color={setting.scenario === 'off' ? 'gray' : setting.scenario === 'always' ? 'grape' : 'color-mix(in srgb, var(--mantine-color-orange-9) 80%, #000)'}
                      onChange={(scenario) => onChange(channel, { ...setting, scenario: scenario as Scenario })}
                      data={SCENARIOS_BY_CHANNEL[channel].map((s) => ({ value: s, label: t(`scenario.${s}` as MessageKey) }))}
                    />
                    {scenarioIssue && (
                      <Text c="red" size="xs" mt={4}>
                        {issueText(scenarioIssue, i18n)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      w={120}
                      min={0}
                      max={10_080}
                      aria-label={`${t('settings.cascade.verdict')} ${t(channelLabel(channel))}`}
                      suffix={` ${t('common.minutes')}`}
                      disabled={setting.scenario === 'off'}
                      value={setting.verdictWindowMinutes}
                      onChange={(v) => onChange(channel, { ...setting, verdictWindowMinutes: Number(v || 0) })}
                      error={windowIssue ? issueText(windowIssue, i18n) : undefined}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
