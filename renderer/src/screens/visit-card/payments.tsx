/**
 * The visit card's money and after-care: the price, what was paid (at the desk or reported by a terminal) and what is
 * still due; "Record payment" (cash, card, QR code) with the amount due pre-filled; after a payment, bonus points for
 * the client in one step; and "the client left a review", which stops the visit's review request.
 */
import { useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, CloseButton, Group, Modal, NumberInput, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconCash, IconCreditCard, IconQrcode } from '@tabler/icons-react';
import type { Appointment, PaymentMethod } from '../../../../shared/domain/appointment.ts';
import { paidMinor } from '../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import { outstandingMinor } from '../../../../shared/domain/loyalty.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n, type MessageKey } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, type Refusal } from '../../app/issues.ts';
import { revisionOf, useAwaitedRevision } from '../../data/hooks.ts';
import { useSalon } from '../../data/salon.ts';
import { useUiFormat } from '../calendar/ui-format.ts';
import { PointsForm } from '../clients/loyalty.tsx';

const METHOD_ICONS = { cash: IconCash, card: IconCreditCard, qr: IconQrcode } as const;

export function PaymentsSection({ appointment, client }: { appointment: Appointment; client: Client | undefined }) {
  const { t } = useI18n();
  const format = useUiFormat();
  const [paying, setPaying] = useState(false);
  /** Set after a payment: the amount, so the bonus step can suggest points for it. */
  const [justPaid, setJustPaid] = useState<number | undefined>();
  const payments = appointment.payments ?? [];
  const due = outstandingMinor(appointment);
  const paid = paidMinor(appointment);
  const canPay = appointment.status !== 'cancelled';
  const { api } = useConnection();
  const i18n = useI18n();
  const [removeError, setRemoveError] = useState<string | undefined>();
  // Each payment edit names the visit's revision: the next one waits until the card shows the last one's.
  const savedVersion = useAwaitedRevision(appointment);
  /** A payment recorded by mistake (wrong amount or method): taken back, the others stay. */
  const remove = async (paymentId: string) => {
    setRemoveError(undefined);
    try {
      savedVersion.awaitRevision((await api.call('appointments.removePayment', { appointmentId: appointment.id, expectedRevision: revisionOf(appointment), paymentId })).revision);
    } catch (error) {
      setRemoveError(refusalOf(error, i18n, []).general.join(' '));
    }
  };
  return (
    <Card withBorder radius="md" padding="md" data-testid="visit-payments">
      <Group justify="space-between" mb={payments.length > 0 ? 'xs' : 0}>
        <Group gap="xs">
          <Text fw={650}>{t('payment.title')}</Text>
          <Badge variant="light" color={due === 0 ? 'teal' : paid > 0 ? 'yellow' : 'gray'} tt="none" data-testid="payment-state">
            {due === 0 ? t('payment.paidInFull') : due !== undefined ? t('payment.due', { amount: format.money(due) }) : t('payment.paidSum', { amount: format.money(paid) })}
          </Badge>
        </Group>
        <Button size="xs" onClick={() => setPaying(true)} disabled={!canPay} loading={savedVersion.waiting} data-testid="payment-record">{t('payment.record')}</Button>
      </Group>
      {payments.length > 0 && (
        <Table verticalSpacing={4} data-testid="payment-list">
          <Table.Tbody>
            {payments.map((p) => {
              const Icon = METHOD_ICONS[p.method];
              return (
                <Table.Tr key={p.id} data-testid="payment-row" data-method={p.method}>
                  <Table.Td w={28}><Icon size={16} stroke={1.6} /></Table.Td>
                  <Table.Td><Text size="sm">{t(`payment.method.${p.method}` as MessageKey)}</Text></Table.Td>
                  <Table.Td><Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>{format.money(p.amountMinor)}</Text></Table.Td>
                  <Table.Td><Text size="xs" c="dimmed" data-testid="payment-by">{format.dateTime(Date.parse(p.at))} · {p.source === 'integration' ? t('payment.byIntegration', { name: p.by }) : p.by}{p.reference ? ` · ${p.reference}` : ''}</Text></Table.Td>
                  <Table.Td w={28}><CloseButton size="sm" aria-label={t('payment.remove')} title={t('payment.remove')} disabled={savedVersion.waiting} onClick={() => void remove(p.id)} data-testid="payment-remove" /></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {removeError && <Alert mt="xs" color="red" variant="light">{removeError}</Alert>}
      {justPaid !== undefined && client && (
        <Stack gap={4} mt="sm" data-testid="after-payment">
          <Text size="sm" fw={600}>{t('payment.bonusPrompt', { name: client.firstName, points: client.loyaltyPoints })}</Text>
          <PointsForm client={client} defaults={{ points: Math.max(1, Math.floor(justPaid / 100 / 10)), reason: t('payment.bonusReason', { date: format.date(appointment.startMs) }) }} onDone={() => setJustPaid(undefined)} />
        </Stack>
      )}
      <ReviewLeft appointment={appointment} waiting={savedVersion.waiting} onSaved={savedVersion.awaitRevision} />
      {paying && <PaymentDialog
        appointment={appointment}
        due={due}
        onClose={() => setPaying(false)}
        onPaid={(amount, revision) => {
          savedVersion.awaitRevision(revision);
          setPaying(false);
          setJustPaid(amount);
        }}
      />}
    </Card>
  );
}

/** Only once the visit happened: the review link is sent after it. */
function ReviewLeft({ appointment, waiting, onSaved }: { appointment: Appointment; waiting: boolean; onSaved(revision: string): void }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  if (appointment.status !== 'completed' && !appointment.reviewLeft) return null;
  const change = async (reviewLeft: boolean) => {
    setError(undefined);
    setBusy(true);
    try {
      onSaved((await api.call('appointments.setReviewLeft', { appointmentId: appointment.id, expectedRevision: revisionOf(appointment), reviewLeft })).revision);
    } catch (e) {
      setError(refusalOf(e, i18n, []).general.join(' '));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={4} mt="sm">
      <Checkbox label={t('review.left')} description={t('review.leftEffect')} checked={appointment.reviewLeft} disabled={busy || waiting} onChange={(e) => void change(e.currentTarget.checked)} data-testid="review-left" />
      {error && <Alert color="red" variant="light">{error}</Alert>}
    </Stack>
  );
}

const PAYMENT_INPUTS = ['amountMinor', 'method', 'reference', 'appointmentId'] as const;

/** Mounted when opened, so the amount due is read afresh each time. */
function PaymentDialog({ appointment, due, onClose, onPaid }: { appointment: Appointment; due: number | undefined; onClose(): void; onPaid(amountMinor: number, revision: string): void }) {
  const { api } = useConnection();
  const { location } = useSalon();
  const i18n = useI18n();
  const { t } = i18n;
  const [method, setMethod] = useState<PaymentMethod>('card');
  const [amount, setAmount] = useState<number | string>(due !== undefined && due > 0 ? due / 100 : '');
  const [reference, setReference] = useState('');
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [busy, setBusy] = useState(false);
  const reset = () => {
    setRefusal(NO_REFUSAL);
    setReference('');
  };
  async function save() {
    setRefusal(NO_REFUSAL);
    const value = typeof amount === 'number' ? amount : Number(amount);
    const minor = Math.round(value * 100);
    if (!Number.isFinite(value) || minor < 1) return setRefusal({ fields: { amountMinor: t('error.payment.amount.range', { max: '1 000 000' }) }, general: [] });
    setBusy(true);
    try {
      const answer = await api.call('appointments.recordPayment', { appointmentId: appointment.id, expectedRevision: revisionOf(appointment), method, amountMinor: minor, ...(reference.trim() ? { reference: reference.trim() } : {}) });
      reset();
      onPaid(minor, answer.revision);
    } catch (error) {
      setRefusal(refusalOf(error, i18n, PAYMENT_INPUTS));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={() => { reset(); onClose(); }} closeButtonProps={{ 'aria-label': t('common.close') }} title={<Text fw={700}>{t('payment.dialogTitle')}</Text>} data-testid="payment-dialog">
      <Stack gap="sm">
        <SegmentedControl
          fullWidth
          value={method}
          onChange={(v) => setMethod(v as PaymentMethod)}
          data={(['cash', 'card', 'qr'] as const).map((m) => ({ value: m, label: t(`payment.method.${m}`) }))}
          data-testid="payment-method"
        />
        <NumberInput label={t('payment.amount', { currency: location.currency })} value={amount} onChange={setAmount} min={0} decimalScale={2} fixedDecimalScale error={refusal.fields['amountMinor']} data-autofocus data-testid="payment-amount" />
        {method !== 'cash' && <TextInput label={t('payment.reference')} description={t('payment.referenceHint')} value={reference} onChange={(e) => setReference(e.currentTarget.value)} maxLength={120} error={refusal.fields['reference']} data-testid="payment-reference" />}
        {refusal.general.length > 0 && <Alert color="red" variant="light" data-testid="payment-error">{refusal.general.join(' ')}</Alert>}
        {refusal.fields['appointmentId'] && <Alert color="red" variant="light" data-testid="payment-error">{refusal.fields['appointmentId']}</Alert>}
        <Group justify="flex-end" className="fd-dialog-actions">
          <Button variant="default" onClick={() => { reset(); onClose(); }} data-testid="payment-cancel">{t('common.cancel')}</Button>
          <Button loading={busy} onClick={() => void save()} data-testid="payment-save">{t('payment.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
