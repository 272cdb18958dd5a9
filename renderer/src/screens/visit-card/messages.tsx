import { Badge, Card, Code, Group, Stack, Text } from '@mantine/core';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { reasonText } from '../../app/coded-text.ts';
import { useI18n, type MessageKey, type Translate } from '../../app/i18n.ts';
import { useUiFormat } from '../calendar/ui-format.ts';

const TEAM_TYPES = new Set(['newBooking', 'reschedule', 'cancellation', 'qrPayment', 'incomingCall']);
const KNOWN_TYPES = new Set(['bookingConfirmation', 'reminder', 'changeAlert', 'cancellationNotice', 'winBack', 'reviewRequest', 'birthdayGreeting', 'bonusAccrual', 'expiringDiscount', 'repeatVisit', ...TEAM_TYPES]);
const KNOWN_CHANNELS = new Set(['email', 'aggregatorPush', 'adminPush', 'brandedPush', 'sms', 'desktop']);
const DELIVERY_STATES = new Set(['attempted', 'sent', 'delivered', 'failed', 'notTried', 'skipped', 'expired', 'cancelled', 'uncertain', 'sandboxed']);

/** A notification type in the UI language; team types say so. */
export function typeLabel(t: Translate, type: string): string {
  if (!KNOWN_TYPES.has(type)) return type;
  const label = t(`type.${type}` as MessageKey);
  return TEAM_TYPES.has(type) ? t('msg.teamSuffix', { type: label }) : label;
}

export function channelLabel(t: Translate, channel: string): string {
  if (channel === 'cascade') return t('msg.cascade');
  return KNOWN_CHANNELS.has(channel) ? t(`channel.${channel}` as MessageKey) : channel;
}

export const STATE_COLORS: Record<string, string> = {
  planned: 'blue', sending: 'cyan', sent: 'teal', delivered: 'green', failed: 'red', skipped: 'gray', expired: 'orange', cancelled: 'gray', uncertain: 'yellow', sandboxed: 'grape', attempted: 'cyan', notTried: 'gray',
};

/** A job state or delivery status in the UI language. */
export function stateLabel(t: Translate, state: string): string {
  if (DELIVERY_STATES.has(state)) return t(`deliveryStatus.${state}` as MessageKey);
  if (state === 'planned' || state === 'sending') return t(`jobState.${state}`);
  return state;
}

/** Jobs with their delivery-log entries underneath; sandboxed entries show the full text that would have gone out. */
export function MessageList({ jobs, log, loading }: { jobs: readonly Job[]; log: readonly DeliveryLogEntry[]; loading: boolean }) {
  const format = useUiFormat();
  const i18n = useI18n();
  const { t } = i18n;
  const why = (fields: Parameters<typeof reasonText>[1]) => reasonText(i18n, fields, format.dateTime);
  if (jobs.length === 0) {
    return <Text size="sm" c="dimmed" data-testid="messages-empty">{loading ? t('msg.loading') : t('msg.empty')}</Text>;
  }
  return (
    <Stack gap="xs" data-testid="visit-messages">
      {jobs.map((job) => {
        const entries = log.filter((e) => e.jobId === job.id);
        return (
          <Card key={job.id} withBorder radius="md" padding="sm" data-testid="message-job" data-type={job.type} data-state={job.state}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" fw={600}>{typeLabel(t, job.type)}{job.type === 'reminder' ? ` · ${reminderOffset(t, job.occasion)}` : ''}</Text>
              <Badge variant="light" color={STATE_COLORS[job.state] ?? 'gray'} data-testid="message-state">{stateLabel(t, job.state)}</Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {t(job.state === 'planned' ? 'msg.due' : 'msg.wasDue', { when: format.dateTime(job.dueAt) })}
              {job.recipient ? ` · ${t('msg.to', { recipient: job.recipient })}` : ''}
            </Text>
            {job.reason && <Text size="xs" mt={4} data-testid="message-reason">{why(job)}</Text>}
            {job.cascade && job.cascade.length > 0 && (
              <Group gap={4} mt={6}>
                {job.cascade.map((step) => (
                  <Badge key={step.channel} size="xs" variant="outline" color={STATE_COLORS[step.state] ?? 'gray'} title={why(step)}>
                    {channelLabel(t, step.channel)}: {stateLabel(t, step.state)}
                  </Badge>
                ))}
              </Group>
            )}
            {entries.map((entry) => (
              <Stack key={entry.id} gap={2} mt={8} pl="xs" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }} data-testid="log-entry" data-status={entry.status}>
                <Group gap={6}>
                  <Badge size="xs" variant="light" color={STATE_COLORS[entry.status] ?? 'gray'}>{stateLabel(t, entry.status)}</Badge>
                  <Text size="xs" c="dimmed">{channelLabel(t, entry.channel)} · {entry.recipient || t('msg.noRecipient')} · {format.dateTime(entry.atMs)}</Text>
                </Group>
                {entry.reason && <Text size="xs">{why(entry)}</Text>}
                {entry.status === 'sandboxed' && (entry.subject || entry.body) && (
                  <Code block data-testid="sandboxed-text" style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>
                    {entry.subject ? `${entry.subject}\n\n` : ''}{entry.body}
                  </Code>
                )}
              </Stack>
            ))}
          </Card>
        );
      })}
    </Stack>
  );
}

function reminderOffset(t: Translate, occasion: string): string {
  const minutes = Number(/^(\d+)m@/.exec(occasion)?.[1]);
  if (!Number.isFinite(minutes)) return occasion;
  if (minutes % 1440 === 0) return t('msg.before.d', { count: minutes / 1440 });
  if (minutes % 60 === 0) return t('msg.before.h', { count: minutes / 60 });
  return t('msg.before.m', { count: minutes });
}
