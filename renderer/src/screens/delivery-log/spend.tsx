/**
 * A month's spend per channel above the delivery log: what SMS and messenger messages cost, from the prices the
 * providers reported (or the configured price per segment, marked as an estimate), with messages and segments.
 */
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { Group, Paper, Select, Text, Tooltip } from '@mantine/core';
import { IconCoin } from '@tabler/icons-react';
import type { ResponseOf } from '../../../../shared/ipc/contract.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useHostEvent } from '../../app/host-events.ts';
import { useI18n, type MessageKey } from '../../app/i18n.ts';

type Spend = ResponseOf<'log.spend'>['channels'];

/** The last twelve months as YYYY-MM, newest first, on the desk's clock. */
function recentMonths(now: Date): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  });
}

/** Memoised: the log screen re-renders for every list it loads, this line only for its own month and figures. */
export const SpendSummary = memo(function SpendSummary({ locationId }: { locationId: string }) {
  const { api } = useConnection();
  const { t, locale } = useI18n();
  const months = useMemo(() => recentMonths(new Date()), []);
  const [month, setMonth] = useState(months[0]!);
  const [spend, setSpend] = useState<Spend | undefined>();

  const load = useCallback(() => {
    api.call('log.spend', { locationId, month }).then((answer) => setSpend(answer.channels), () => setSpend(undefined));
  }, [api, locationId, month]);
  useEffect(load, [load]);
  useHostEvent('deliveryLogChanged', load, 1000);

  const monthLabel = (m: string) => new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' }).format(new Date(Number(m.slice(0, 4)), Number(m.slice(5)) - 1, 1));
  const money = (micros: number, currency: string) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(micros / 1_000_000);

  return (
    <Paper withBorder radius="lg" p="sm" data-testid="log-spend">
      <Group gap="md" align="center">
        <IconCoin size={18} style={{ opacity: 0.6 }} />
        <Text size="sm" fw={600}>{t('log.spend.title')}</Text>
        <Select size="xs" w={170} allowDeselect={false} value={month} onChange={(m) => m && setMonth(m)} data={months.map((m) => ({ value: m, label: monthLabel(m) }))} aria-label={t('log.spend.month')} data-testid="log-spend-month" />
        {spend && spend.length === 0 ? <Text size="sm" c="dimmed">{t('log.spend.none')}</Text> : null}
        {(spend ?? []).map((line) => (
          <Tooltip key={`${line.channel}|${line.currency}`} label={line.estimated ? t('log.spend.estimatedHelp') : t('log.spend.reportedHelp')}>
            <Text size="sm" data-testid="log-spend-line">
              <Text span fw={600}>{t(`channel.${line.channel}` as MessageKey)}: {line.estimated ? '≈ ' : ''}{money(line.micros, line.currency)}</Text>{' '}
              <Text span c="dimmed">{t('log.spend.counts', { messages: line.messages, segments: line.segments })}</Text>
            </Text>
          </Tooltip>
        ))}
      </Group>
    </Paper>
  );
});
