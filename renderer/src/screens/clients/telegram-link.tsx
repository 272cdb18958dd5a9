/**
 * The client's Telegram chat on the client card: linked or not, and the one-time deep link that links it (the
 * receptionist sends or shows it; the client opens it and presses Start, and the bot's "/start <code>" links the chat).
 */
import { useState } from 'react';
import { Alert, Button, CopyButton, Group, Paper, Text, TextInput } from '@mantine/core';
import { IconBrandTelegram, IconCheck, IconCopy } from '@tabler/icons-react';
import type { Client } from '../../../../shared/domain/client.ts';
import { errorText, reasonText } from '../../app/coded-text.ts';
import { useConnection } from '../../app/connection-context.ts';
import { formatDateTime } from '../../app/format.ts';
import { useI18n } from '../../app/i18n.ts';

export function TelegramLink({ client }: { client: Client }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [link, setLink] = useState<{ url?: string; problem?: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const linkedAt = client.telegram?.chatId ? client.telegram.linkedAt : undefined;

  const make = async () => {
    setBusy(true);
    try {
      const answer = await api.call('providers.telegramLink', { clientId: client.id });
      setLink(answer.url ? { url: answer.url } : { problem: reasonText(i18n, answer) ?? t('clients.telegram.noBot') });
    } catch (e) {
      setLink({ problem: errorText(i18n, e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="client-telegram">
      {/* Wraps: in a narrow card (Russian, a laptop at 150 %) the button's words were cut off. */}
      <Group justify="space-between" gap="xs">
        <Group gap="xs" wrap="nowrap">
          <IconBrandTelegram size={18} />
          <Text size="sm" data-testid="client-telegram-state">
            {client.telegram?.chatId ? (linkedAt ? t('clients.telegram.linkedAt', { when: formatDateTime(Date.parse(linkedAt), locale) }) : t('clients.telegram.linked')) : t('clients.telegram.notLinked')}
          </Text>
        </Group>
        <Button size="xs" variant="light" loading={busy} onClick={() => void make()} data-testid="client-telegram-link">
          {client.telegram?.chatId ? t('clients.telegram.relink') : t('clients.telegram.getLink')}
        </Button>
      </Group>
      {link?.url ? (
        <Group mt="sm" gap="xs" wrap="nowrap" align="flex-end">
          <TextInput readOnly value={link.url} style={{ flex: 1 }} label={t('clients.telegram.linkLabel')} data-testid="client-telegram-url" onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={link.url}>
            {({ copied, copy }) => (
              <Button variant="default" leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy}>
                {copied ? t('clients.telegram.copied') : t('clients.telegram.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
      ) : null}
      {link?.problem ? <Alert mt="sm" color="orange" variant="light" data-testid="client-telegram-problem">{link.problem}</Alert> : null}
    </Paper>
  );
}
