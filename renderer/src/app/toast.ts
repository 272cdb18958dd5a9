/**
 * The app's passing messages ("Saved", "FrontDesk restarted"): Mantine's toast, whose close button otherwise has no
 * name a screen reader could say.
 */
import { notifications, type NotificationData } from '@mantine/notifications';
import type { I18n } from './i18n.ts';

export function showToast(t: I18n['t'], data: NotificationData): string {
  return notifications.show({ ...data, closeButtonProps: { 'aria-label': t('common.close'), ...data.closeButtonProps } });
}
