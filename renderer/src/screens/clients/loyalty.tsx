/**
 * The client card's loyalty: the bonus balance with its entries (credit or debit, each with a reason), and the
 * client's discounts and gift certificates (value, last day, used). Every change is a host command; the card shows
 * what the host refused next to the input it concerns. The points form is also the visit card's "after payment" step.
 */
import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconGift, IconPlus, IconStar } from '@tabler/icons-react';
import type { Client } from '../../../../shared/domain/client.ts';
import type { ClientPerk } from '../../../../shared/domain/client-perk.ts';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { voucherState } from '../../../../shared/domain/loyalty.ts';
import { utcToWallClock } from '../../../../shared/domain/zoned-time.ts';
import { useNow } from '../../app/clock.ts';
import { useConnection } from '../../app/connection-context.ts';
import { DateField } from '../../app/fields.tsx';
import { useI18n } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, type Refusal } from '../../app/issues.ts';
import { UnfinishedDatesContext, useUnfinishedDates } from '../../app/unfinished-dates.ts';
import { revisionOf, useAwaitedRevision, useMessagesQuery, useRxQuery } from '../../data/hooks.ts';
import { useSalon } from '../../data/salon.ts';
import { jobIdsKey, jobsLogQuery } from '../../data/queries.ts';
import { useUiFormat } from '../calendar/ui-format.ts';
import { MessageList } from '../visit-card/messages.tsx';

/** Entries of the bonus history shown on the card (the newest). */
const BONUS_ROWS = 8;

export function LoyaltySection({ client }: { client: Client }) {
  const { t } = useI18n();
  const perks = useRxQuery<ClientPerk>((db) => db.client_perks.find({ selector: { clientId: client.id }, sort: [{ createdAtMs: 'desc' }] }), [client.id]);
  const bonus = perks.docs.filter((p) => p.kind === 'bonusAccrual');
  const vouchers = perks.docs.filter((p) => p.kind !== 'bonusAccrual');
  return (
    <Card withBorder radius="md" padding="md" data-testid="client-loyalty">
      <Group justify="space-between" mb="xs">
        <Group gap={8}>
          <IconStar size={18} stroke={1.6} />
          <Text fw={650}>{t('loyalty.title')}</Text>
        </Group>
        <Badge size="lg" variant="light" color="grape" tt="none" data-testid="loyalty-balance" data-points={client.loyaltyPoints}>
          {t('loyalty.balance', { points: client.loyaltyPoints })}
        </Badge>
      </Group>
      <PointsForm client={client} />
      {bonus.length > 0 && <BonusHistory entries={bonus.slice(0, BONUS_ROWS)} />}
      <Vouchers client={client} vouchers={vouchers} />
      <LoyaltyMessages perkIds={perks.docs.slice(0, MESSAGE_PERKS).map((p) => p.id)} />
    </Card>
  );
}

/** Perks whose messages the card lists (the newest). */
const MESSAGE_PERKS = 20;

/**
 * The messages the engine planned from the entries above: bonus accruals and expiring-discount reminders, with their
 * state (planned for when, sent, or why not — e.g. the discount was used), live as the engine re-plans.
 */
function LoyaltyMessages({ perkIds }: { perkIds: string[] }) {
  const { t } = useI18n();
  const key = perkIds.join('\n');
  const jobs = useMessagesQuery<Job>((db) => (key === '' ? undefined : db.jobs.find({ selector: { subjectId: { $in: key.split('\n') } }, sort: [{ dueAt: 'asc' }] })), [key]);
  const jobKey = jobIdsKey(jobs.docs.map((j) => j.id));
  const log = useMessagesQuery<DeliveryLogEntry>((db) => jobsLogQuery(db, jobKey), [jobKey]);
  if (key === '') return null;
  return (
    <Stack gap={6} mt="md" data-testid="loyalty-messages">
      <Text fw={650} size="sm">{t('loyalty.messages')}</Text>
      <MessageList jobs={jobs.docs} log={log.docs} loading={jobs.loading} />
    </Stack>
  );
}

const POINTS_INPUTS = ['points', 'reason', 'expectedRevision'] as const;

/** Credit or debit points with a reason; `defaults` pre-fill it (the visit card after a payment). */
export function PointsForm({ client, defaults, onDone }: { client: Client; defaults?: { points: number; reason: string }; onDone?: (balance: number) => void }) {
  const { api } = useConnection();
  const { location } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const [direction, setDirection] = useState<'credit' | 'debit'>('credit');
  const [points, setPoints] = useState<number | string>(defaults?.points ?? '');
  const [reason, setReason] = useState(defaults?.reason ?? '');
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();
  // The balance is guarded by the client's revision: a second entry waits until the card shows the first one's.
  const savedVersion = useAwaitedRevision(client);

  async function submit() {
    setRefusal(NO_REFUSAL);
    setDone(undefined);
    const amount = typeof points === 'number' ? points : Number(points);
    setBusy(true);
    try {
      const result = await api.call('loyalty.points', {
        locationId: location.id,
        clientId: client.id,
        expectedRevision: revisionOf(client),
        points: direction === 'credit' ? amount : -amount,
        reason,
      });
      savedVersion.awaitRevision(result.revision);
      setDone(t(direction === 'credit' ? 'loyalty.credited' : 'loyalty.debited', { points: amount, balance: result.balance }));
      setPoints('');
      setReason('');
      onDone?.(result.balance);
    } catch (error) {
      setRefusal(refusalOf(error, i18n, POINTS_INPUTS));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack gap={6} data-testid="points-form">
      <Group align="flex-start" gap="sm" wrap="wrap">
        <SegmentedControl
          mt={25}
          size="xs"
          value={direction}
          onChange={(v) => setDirection(v as 'credit' | 'debit')}
          aria-label={t('loyalty.direction')}
          data={[
            { value: 'credit', label: t('loyalty.credit') },
            { value: 'debit', label: t('loyalty.debit') },
          ]}
          data-testid="points-direction"
        />
        <NumberInput label={t('loyalty.points')} value={points} onChange={setPoints} min={1} max={100_000} allowDecimal={false} allowNegative={false} w={120} error={refusal.fields['points']} data-testid="points-amount" />
        <TextInput label={t('loyalty.reason')} placeholder={t('loyalty.reasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={200} style={{ flex: 1, minWidth: 200 }} error={refusal.fields['reason']} data-testid="points-reason" />
        <Button mt={25} loading={busy || savedVersion.waiting} onClick={() => void submit()} color={direction === 'debit' ? 'orange' : undefined} data-testid="points-save">
          {direction === 'credit' ? t('loyalty.creditAction') : t('loyalty.debitAction')}
        </Button>
      </Group>
      {refusal.general.length > 0 && <Alert color="red" variant="light" data-testid="points-error">{refusal.general.join(' ')}</Alert>}
      {done && <Text size="sm" c="teal" data-testid="points-done">{done}</Text>}
    </Stack>
  );
}

function BonusHistory({ entries }: { entries: ClientPerk[] }) {
  const { t } = useI18n();
  const format = useUiFormat();
  return (
    <Table mt="sm" verticalSpacing={4} data-testid="bonus-history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('loyalty.when')}</Table.Th>
          <Table.Th ta="right">{t('loyalty.points')}</Table.Th>
          <Table.Th>{t('loyalty.reason')}</Table.Th>
          <Table.Th ta="right">{t('loyalty.after')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((entry) => (
          <Table.Tr key={entry.id} data-testid="bonus-entry">
            <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{format.date(entry.createdAtMs)}</Text></Table.Td>
            <Table.Td ta="right"><Text size="sm" fw={600} c={(entry.points ?? 0) >= 0 ? 'teal' : 'orange'} style={{ fontVariantNumeric: 'tabular-nums' }}>{(entry.points ?? 0) > 0 ? `+${entry.points}` : `−${Math.abs(entry.points ?? 0)}`}</Text></Table.Td>
            <Table.Td><Text size="sm" lineClamp={1} data-testid="bonus-reason">{entry.description ?? ''}</Text></Table.Td>
            <Table.Td ta="right"><Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>{entry.balanceAfter ?? ''}</Text></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const STATE_COLORS = { usable: 'teal', used: 'gray', expired: 'red' } as const;

function Vouchers({ client, vouchers }: { client: Client; vouchers: ClientPerk[] }) {
  const { api } = useConnection();
  const { location } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const format = useUiFormat();
  const now = useNow();
  const today = utcToWallClock(now, location.timeZone).date;
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const mark = async (perk: ClientPerk, used: boolean) => {
    setError(undefined);
    try {
      await api.call('loyalty.markVoucher', { perkId: perk.id, used });
    } catch (e) {
      setError(refusalOf(e, i18n, []).general.join(' '));
    }
  };
  const value = (perk: ClientPerk) => (perk.percent !== undefined ? `${perk.percent} %` : format.money(perk.amountMinor ?? 0));
  const dateOf = (day: string) => format.date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), 12));
  return (
    <Stack gap={6} mt="md">
      <Group justify="space-between">
        <Group gap={8}>
          <IconGift size={18} stroke={1.6} />
          <Text fw={650} size="sm">{t('loyalty.vouchers')}</Text>
        </Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(!adding)} data-testid="voucher-add">{t('loyalty.addVoucher')}</Button>
      </Group>
      {adding && <VoucherForm client={client} onDone={() => setAdding(false)} />}
      {vouchers.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="vouchers-empty">{t('loyalty.noVouchers')}</Text>
      ) : (
        <Table verticalSpacing={4} data-testid="vouchers">
          <Table.Tbody>
            {vouchers.map((perk) => {
              const state = voucherState(perk, today);
              return (
                <Table.Tr key={perk.id} data-testid="voucher-row" data-state={state}>
                  <Table.Td><Badge size="sm" variant="outline" color={perk.kind === 'certificate' ? 'grape' : 'blue'} tt="none">{t(perk.kind === 'certificate' ? 'loyalty.kind.certificate' : 'loyalty.kind.discount')}</Badge></Table.Td>
                  <Table.Td><Text size="sm" fw={600}>{value(perk)}</Text></Table.Td>
                  <Table.Td><Text size="sm" lineClamp={1} data-testid="voucher-name">{[perk.description, perk.code].filter(Boolean).join(' · ')}</Text></Table.Td>
                  <Table.Td><Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{perk.expiresOn ? t('loyalty.until', { date: dateOf(perk.expiresOn) }) : t('loyalty.noExpiry')}</Text></Table.Td>
                  <Table.Td><Badge size="sm" variant="light" color={STATE_COLORS[state]} tt="none">{t(`loyalty.state.${state}`)}</Badge></Table.Td>
                  <Table.Td ta="right">
                    <Button size="compact-xs" variant={perk.used ? 'subtle' : 'default'} onClick={() => void mark(perk, !perk.used)} data-testid="voucher-mark">
                      {perk.used ? t('loyalty.markUnused') : t('loyalty.markUsed')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {error && <Alert color="red" variant="light">{error}</Alert>}
    </Stack>
  );
}

const VOUCHER_INPUTS = ['percent', 'amountMinor', 'code', 'description', 'expiresOn'] as const;

function VoucherForm({ client, onDone }: { client: Client; onDone: () => void }) {
  const { api } = useConnection();
  const { location } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const [kind, setKind] = useState<'discount' | 'certificate'>('discount');
  const [unit, setUnit] = useState<'percent' | 'amount'>('percent');
  const [amount, setAmount] = useState<number | string>('');
  const [code, setCode] = useState('');
  const [description, setDescription] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [busy, setBusy] = useState(false);
  const percent = kind === 'discount' && unit === 'percent';
  const dates = useUnfinishedDates();
  async function save() {
    if (!dates.allFinished()) return;
    setRefusal(NO_REFUSAL);
    setBusy(true);
    const number = typeof amount === 'number' ? amount : amount === '' ? undefined : Number(amount);
    try {
      await api.call('loyalty.addVoucher', {
        locationId: location.id,
        clientId: client.id,
        kind,
        ...(number === undefined ? {} : percent ? { percent: number } : { amountMinor: Math.round(number * 100) }),
        ...(code.trim() ? { code: code.trim() } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(expiresOn ? { expiresOn } : {}),
      });
      onDone();
    } catch (error) {
      setRefusal(refusalOf(error, i18n, VOUCHER_INPUTS));
    } finally {
      setBusy(false);
    }
  }
  const valueError = refusal.fields['percent'] ?? refusal.fields['amountMinor'];
  return (
    <Card withBorder radius="sm" padding="sm" data-testid="voucher-form">
      <Stack gap="xs">
        <Group gap="sm">
          <SegmentedControl size="xs" value={kind} onChange={(v) => setKind(v as 'discount' | 'certificate')} data={[{ value: 'discount', label: t('loyalty.kind.discount') }, { value: 'certificate', label: t('loyalty.kind.certificate') }]} data-testid="voucher-kind" />
          {kind === 'discount' && (
            <SegmentedControl size="xs" value={unit} onChange={(v) => setUnit(v as 'percent' | 'amount')} data={[{ value: 'percent', label: '%' }, { value: 'amount', label: location.currency }]} data-testid="voucher-unit" />
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NumberInput label={percent ? t('loyalty.percent') : t('loyalty.amount', { currency: location.currency })} value={amount} onChange={setAmount} min={0} max={percent ? 100 : 1_000_000} decimalScale={percent ? 1 : 2} error={valueError} data-testid="voucher-value" />
          <UnfinishedDatesContext value={dates}>
            <DateField label={t('loyalty.expiresOn')} value={expiresOn} onChange={setExpiresOn} clearable description={t('loyalty.expiresOnHint')} error={refusal.fields['expiresOn']} data-testid="voucher-expires" />
          </UnfinishedDatesContext>
          <TextInput label={t('loyalty.description')} placeholder={t('loyalty.descriptionHint')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} maxLength={500} error={refusal.fields['description']} data-testid="voucher-description" />
          <TextInput label={t('loyalty.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} maxLength={64} error={refusal.fields['code']} data-testid="voucher-code" />
        </SimpleGrid>
        {refusal.general.length > 0 && <Alert color="red" variant="light">{refusal.general.join(' ')}</Alert>}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onDone}>{t('common.cancel')}</Button>
          <Button size="xs" loading={busy} onClick={() => void save()} data-testid="voucher-save">{t('loyalty.saveVoucher')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}
