import { useState } from 'react';
import { Badge, Grid, Group, Paper, ScrollArea, Text, VisuallyHidden } from '@mantine/core';
import { useI18n } from '../../app/i18n.ts';
import { RouteNavLink } from '../../app/route-links.tsx';
import { channelLabel, typeLabel, type NotificationSettings } from './model.ts';
import { CHANNEL_ICONS, channelsOf } from './cascade-card.tsx';
import { TeamTypeProblems } from './providers-panel.tsx';
import { TypeEditor } from './type-editor.tsx';

interface Props {
  tab: 'client' | 'team';
  settings: NotificationSettings[];
  order: readonly string[];
  selectedType: string | undefined;
  timeZone: string;
  onSaved(settings: NotificationSettings): void;
}

export function TypesPanel({ tab, settings, order, selectedType, timeZone, onSaved }: Props) {
  const { t } = useI18n();
  const [dirty, setDirty] = useState(false);
  const list = order.map((type) => settings.find((s) => s.type === type)).filter((s): s is NotificationSettings => s !== undefined);
  const selected = list.find((s) => s.type === selectedType) ?? list[0];
  if (!selected) return null;
  return (
    <Grid gap="lg">
      {/* Side by side from 768 px (a laptop at 150 % is 911 px wide): stacked, the editor opened under the window's edge. */}
      <Grid.Col span={{ base: 12, sm: 4, xl: 3 }}>
        <Paper withBorder radius="lg" p={6} data-testid="type-list">
          {/* As wide as the column, not its widest row (Autosize's min-content): in a narrow column a long name is
              cut with an ellipsis and its On/Off badge stays in sight. */}
          <ScrollArea.Autosize mah="calc(100vh - 220px)" scrollbars="y" styles={{ content: { minWidth: 0 } }}>
            {list.map((s) => {
              const channels = channelsOf(s).filter((c) => (s.channels[c]?.scenario ?? 'off') !== 'off');
              const cascade = channels.map((c) => t(channelLabel(c))).join(' → ');
              return (
                <RouteNavLink
                  key={s.type}
                  active={s.type === selected.type}
                  route={{ screen: 'settings', params: [tab, s.type] }}
                  data-testid={`type-${s.type}`}
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                  label={
                    <Group justify="space-between" wrap="nowrap" gap={6}>
                      <Text size="sm" fw={500} truncate>
                        {t(typeLabel(s.type))}
                        {dirty && s.type === selected.type ? ' •' : ''}
                      </Text>
                      <Badge size="xs" variant={s.enabled ? 'light' : 'outline'} color={s.enabled ? 'teal' : 'gray'} style={{ flexShrink: 0 }}>
                        {s.enabled ? t('common.on') : t('common.off')}
                      </Badge>
                    </Group>
                  }
                  description={
                    <Group gap={4} mt={2} c="dimmed" wrap="nowrap" title={cascade}>
                      {/* The icons are for the eye; a screen reader reads the channels by name (it read "→ → →"). */}
                      <VisuallyHidden>{cascade}</VisuallyHidden>
                      {channels.length === 0 && <Text size="xs">—</Text>}
                      {channels.map((c, i) => {
                        const Icon = CHANNEL_ICONS[c];
                        return (
                          <Group key={c} gap={4} wrap="nowrap" aria-hidden>
                            {i > 0 && <Text size="xs">→</Text>}
                            <Icon size={14} stroke={1.6} />
                          </Group>
                        );
                      })}
                    </Group>
                  }
                />
              );
            })}
          </ScrollArea.Autosize>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 8, xl: 9 }}>
        {tab === 'team' ? <TeamTypeProblems locationId={selected.locationId} type={selected.type} refreshKey={selected.updatedAt} /> : null}
        <TypeEditor key={`${selected.id}|${selected.updatedAt}`} saved={selected} timeZone={timeZone} onSaved={onSaved} onDirty={setDirty} />
      </Grid.Col>
    </Grid>
  );
}
