import { useState } from 'react';
import { Anchor, Badge, Card, Code, Collapse, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { ReasonFields } from '../../../../shared/notifications/reasons.ts';
import { summarizeJob, type MessageSummary } from './message-summary.ts';
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

/** The visit's messages: one row per message, its channel attempts folded underneath (see MessageRow). */
export function MessageList({ jobs, log, loading }: { jobs: readonly Job[]; log: readonly DeliveryLogEntry[]; loading: boolean }) {
  const { t } = useI18n();
  if (jobs.length === 0) {
    return <Text size="sm" c="dimmed" data-testid="messages-empty">{loading ? t('msg.loading') : t('msg.empty')}</Text>;
  }
  return (
    <Stack gap="xs" data-testid="visit-messages">
      {jobs.map((job) => (
        <MessageRow key={job.id} message={summarizeJob(job, log.filter((e) => e.jobId === job.id))} detail={job.type === 'reminder' ? reminderOffset(t, job.occasion) : undefined} />
      ))}
    </Stack>
  );
}

/**
 * One message: what (type), to whom, how it ended and over which channel; why, in words, when it did not go; the
 * text a sandboxed message would have had. The channel attempts fold out underneath.
 */
export function MessageRow({ message: m, detail, onOpen }: { message: MessageSummary; detail?: string | undefined; onOpen?: (() => void) | undefined }) {
  const format = useUiFormat();
  const i18n = useI18n();
  const { t } = i18n;
  const [open, setOpen] = useState(false);
  const why = (fields: ReasonFields) => reasonText(i18n, fields, format.dateTime);
  const carried = m.outcome === 'delivered' || m.outcome === 'sent' || m.outcome === 'sandboxed';
  const when = format.dateTime(m.at);
  const sandboxText = m.attempts.find((e) => e.status === 'sandboxed' && (e.subject || e.body));
  return (
    <Card withBorder radius="md" padding="sm" data-testid="message-job" data-type={m.type} data-state={m.outcome}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        {onOpen ? (
          <Anchor component="button" type="button" size="sm" fw={600} onClick={onOpen} data-testid="message-open">{typeLabel(t, m.type)}{detail ? ` · ${detail}` : ''}</Anchor>
        ) : (
          <Text size="sm" fw={600}>{typeLabel(t, m.type)}{detail ? ` · ${detail}` : ''}</Text>
        )}
        <Badge variant="light" color={STATE_COLORS[m.outcome] ?? 'gray'} tt="none" data-testid="message-state">{stateLabel(t, m.outcome)}</Badge>
      </Group>
      <Text size="xs" c="dimmed" data-testid="message-line">
        {m.pending ? t('msg.due', { when }) : carried ? t('msg.sentAt', { when }) : t('msg.wasDue', { when })}
        {m.channel && carried ? ` · ${t('msg.via', { channel: channelLabel(t, m.channel) })}` : ''}
        {m.recipient && carried ? ` · ${t('msg.to', { recipient: m.recipient })}` : ''}
      </Text>
      {m.reason && <Text size="xs" mt={4} data-testid="message-reason">{why(m.reason)}</Text>}
      {sandboxText && (
        <Code block mt={6} data-testid="sandboxed-text" style={{ whiteSpace: 'pre-wrap', fontSize: 12, maxHeight: open ? undefined : 84, overflow: 'hidden' }}>
          {sandboxText.subject ? `${sandboxText.subject}\n\n` : ''}{sandboxText.body}
        </Code>
      )}
      {m.attempts.length > 0 && (
        <>
          <UnstyledButton mt={6} onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="message-attempts-toggle" className="fd-attempts-toggle">
            <Text size="xs" fw={600} c="dimmed">{open ? '▾' : '▸'} {t('msg.attempts', { count: m.attempts.length })}</Text>
          </UnstyledButton>
          <Collapse expanded={open}>
            <Stack gap={4} mt={4} pl="xs" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
              {m.attempts.map((entry) => (
                <Group key={entry.id} gap={6} wrap="nowrap" align="flex-start" data-testid="log-entry" data-status={entry.status}>
                  <Badge size="xs" variant="light" tt="none" color={STATE_COLORS[entry.status] ?? 'gray'} style={{ flexShrink: 0 }}>{channelLabel(t, entry.channel)}: {stateLabel(t, entry.status)}</Badge>
                  <Text size="xs" c="dimmed">
                    {why(entry) ?? (entry.recipient ? t('msg.to', { recipient: entry.recipient }) : '')} · {format.dateTime(entry.atMs)}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Collapse>
        </>
      )}
    </Card>
  );
}

function reminderOffset(t: Translate, occasion: string): string {
  const minutes = Number(/^(\d+)m@/.exec(occasion)?.[1]);
  if (!Number.isFinite(minutes)) return occasion;
  if (minutes % 1440 === 0) return t('msg.before.d', { count: minutes / 1440 });
  if (minutes % 60 === 0) return t('msg.before.h', { count: minutes / 60 });
  return t('msg.before.m', { count: minutes });
}
