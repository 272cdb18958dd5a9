/**
 * The client's "not this way" per channel: everything allowed, no promotional messages on it ("no marketing
 * email"), or nothing at all on it ("no SMS"). The cascade then skips that channel with the reason in the log and
 * tries the next one, so the text says what happens instead.
 */
import { SegmentedControl, Table, Text } from '@mantine/core';
import type { ChannelOptOutScope, ChannelOptOuts } from '../../../../shared/domain/client.ts';
import { CLIENT_CHANNELS, type ClientChannel } from '../../../../shared/notifications/catalog.ts';
import { useI18n } from '../../app/i18n.ts';

type Choice = 'allowed' | ChannelOptOutScope;

export function ChannelOptOutsEditor({ value, onChange }: { value: ChannelOptOuts; onChange(next: ChannelOptOuts): void }) {
  const { t } = useI18n();
  const set = (channel: ClientChannel, choice: Choice) => {
    const next = { ...value };
    if (choice === 'allowed') delete next[channel];
    else next[channel] = choice;
    onChange(next);
  };
  return (
    <>
      <Table verticalSpacing={4} data-testid="channel-opt-outs">
        <Table.Tbody>
          {CLIENT_CHANNELS.map((channel) => (
            <Table.Tr key={channel}>
              <Table.Td w={170}><Text size="sm">{t(`channel.${channel}`)}</Text></Table.Td>
              <Table.Td>
                <SegmentedControl
                  size="xs"
                  aria-label={t('clients.channelOptOut', { channel: t(`channel.${channel}`) })}
                  value={value[channel] ?? 'allowed'}
                  onChange={(choice) => set(channel, choice as Choice)}
                  data={[
                    { value: 'allowed', label: t('clients.channel.allowed') },
                    { value: 'marketing', label: t('clients.channel.noMarketing') },
                    { value: 'all', label: t('clients.channel.nothing') },
                  ]}
                  data-testid={`channel-opt-out-${channel}`}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt={4}>{t('clients.channelOptOutsHint')}</Text>
    </>
  );
}
