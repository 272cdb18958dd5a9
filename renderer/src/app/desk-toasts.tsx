/**
 * Toasts for what an integration reported to this desk (the host pushes `deskToast` once per new notification-center
 * row): an incoming call opens the caller's client card, or "new client" with the number filled in; a QR-code
 * payment opens its visit card (or the payer's client card). Calls stay up until dismissed: the phone is ringing.
 */
import { notifications } from '@mantine/notifications';
import { Anchor, Stack, Text } from '@mantine/core';
import { IconPhoneIncoming, IconQrcode } from '@tabler/icons-react';
import type { HostEvent } from '../../../shared/ipc/contract.ts';
import { useHostEventData } from './host-events.ts';
import { useI18n } from './i18n.ts';
import { navigate, openVisit } from './router.ts';
import { showToast } from './toast.ts';

type DeskToast = Extract<HostEvent, { type: 'deskToast' }>;

export function DeskToasts() {
  const { t } = useI18n();
  useHostEventData('deskToast', (toast) => {
    const open = () => {
      notifications.hide(toast.eventId);
      if (toast.appointmentId) openVisit(toast.appointmentId);
      else if (toast.clientId) navigate({ screen: 'clients', params: [toast.clientId] });
      else if (toast.phone) navigate({ screen: 'clients', params: ['new', toast.phone] });
    };
    const call = toast.kind === 'incomingCall';
    const action = toast.appointmentId ? t('toast.openVisit') : toast.clientId ? t('toast.openClient') : toast.phone ? t('toast.newClient') : undefined;
    showToast(t, {
      id: toast.eventId,
      color: call ? 'orange' : 'grape',
      icon: call ? <IconPhoneIncoming size={18} /> : <IconQrcode size={18} />,
      autoClose: call ? false : 15_000,
      withBorder: true,
      title: `${toast.test ? `${t('toast.test')} · ` : ''}${toast.title}`,
      message: (
        <Stack gap={2} data-testid="desk-toast" data-kind={toast.kind} data-event={toast.eventId}>
          <Text size="sm">{toast.body}</Text>
          {action && (
            <Anchor component="button" size="sm" onClick={open} data-testid="desk-toast-open">
              {action}
            </Anchor>
          )}
        </Stack>
      ),
    });
  });
  return null;
}

export type { DeskToast };
