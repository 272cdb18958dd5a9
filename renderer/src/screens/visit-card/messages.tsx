import { Badge, Card, Code, Group, Stack, Text } from '@mantine/core';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import type { Job, JobState } from '../../../../shared/domain/job.ts';
import { useFormat } from '../../data/salon.ts';

export const TYPE_LABELS: Record<string, string> = {
  bookingConfirmation: 'Booking confirmation',
  reminder: 'Reminder',
  changeAlert: 'Change alert',
  cancellationNotice: 'Cancellation notice',
  winBack: 'Win-back invitation',
  reviewRequest: 'Review request',
  birthdayGreeting: 'Birthday greeting',
  bonusAccrual: 'Bonus accrual',
  expiringDiscount: 'Expiring discount',
  repeatVisit: 'Repeat-visit invitation',
  newBooking: 'New booking (team)',
  reschedule: 'Reschedule (team)',
  cancellation: 'Cancellation (team)',
  qrPayment: 'QR payment (team)',
  incomingCall: 'Incoming call (team)',
};

export const CHANNEL_LABELS: Record<string, string> = {
  email: 'Email', aggregatorPush: 'Client app push', adminPush: 'Staff app push', brandedPush: 'Branded app push', sms: 'SMS', desktop: 'Desktop toast', cascade: 'Cascade',
};

export const STATE_COLORS: Record<string, string> = {
  planned: 'blue', sending: 'cyan', sent: 'teal', delivered: 'green', failed: 'red', skipped: 'gray', expired: 'orange', cancelled: 'gray', uncertain: 'yellow', sandboxed: 'grape', attempted: 'cyan', notTried: 'gray',
};

const STATE_LABELS: Record<string, string> = {
  planned: 'Planned', sending: 'Sending', sent: 'Sent', delivered: 'Delivered', failed: 'Failed', skipped: 'Skipped', expired: 'Expired', cancelled: 'Cancelled', uncertain: 'Uncertain', sandboxed: 'Sandboxed', attempted: 'Attempted', notTried: 'Not tried',
};

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

/** Jobs with their delivery-log entries underneath; sandboxed entries show the full text that would have gone out. */
export function MessageList({ jobs, log, loading }: { jobs: readonly Job[]; log: readonly DeliveryLogEntry[]; loading: boolean }) {
  const format = useFormat();
  if (jobs.length === 0) {
    return <Text size="sm" c="dimmed" data-testid="messages-empty">{loading ? 'Loading messages…' : 'No messages for this visit.'}</Text>;
  }
  return (
    <Stack gap="xs" data-testid="visit-messages">
      {jobs.map((job) => {
        const entries = log.filter((e) => e.jobId === job.id);
        return (
          <Card key={job.id} withBorder radius="md" padding="sm" data-testid="message-job" data-type={job.type} data-state={job.state}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" fw={600}>{TYPE_LABELS[job.type] ?? job.type}{job.type === 'reminder' ? ` · ${reminderOffset(job.occasion)}` : ''}</Text>
              <Badge variant="light" color={STATE_COLORS[job.state] ?? 'gray'} data-testid="message-state">{stateLabel(job.state as JobState)}</Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {job.state === 'planned' ? 'Due' : 'Was due'} {format.dateTime(job.dueAt)}
              {job.recipient ? ` · to ${job.recipient}` : ''}
            </Text>
            {job.reason && <Text size="xs" mt={4} data-testid="message-reason">{job.reason}</Text>}
            {job.cascade && job.cascade.length > 0 && (
              <Group gap={4} mt={6}>
                {job.cascade.map((step) => (
                  <Badge key={step.channel} size="xs" variant="outline" color={STATE_COLORS[step.state] ?? 'gray'} title={step.reason}>
                    {CHANNEL_LABELS[step.channel] ?? step.channel}: {stateLabel(step.state)}
                  </Badge>
                ))}
              </Group>
            )}
            {entries.map((entry) => (
              <Stack key={entry.id} gap={2} mt={8} pl="xs" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }} data-testid="log-entry" data-status={entry.status}>
                <Group gap={6}>
                  <Badge size="xs" variant="light" color={STATE_COLORS[entry.status] ?? 'gray'}>{stateLabel(entry.status)}</Badge>
                  <Text size="xs" c="dimmed">{CHANNEL_LABELS[entry.channel] ?? entry.channel} · {entry.recipient || 'no recipient'} · {format.dateTime(entry.atMs)}</Text>
                </Group>
                {entry.reason && <Text size="xs">{entry.reason}</Text>}
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

function reminderOffset(occasion: string): string {
  const minutes = Number(/^(\d+)m@/.exec(occasion)?.[1]);
  if (!Number.isFinite(minutes)) return occasion;
  if (minutes % 1440 === 0) return `${minutes / 1440} d before`;
  if (minutes % 60 === 0) return `${minutes / 60} h before`;
  return `${minutes} min before`;
}
