/**
 * What a status button on the visit card says. A step back is named as the undo it is: "Restore booking" on a
 * confirmed visit read as if the visit had been cancelled, and "Confirmed by client" on an arrived one as a new
 * confirmation, when both only take back the last mark.
 */
import type { AppointmentStatus } from '../../../../shared/domain/appointment.ts';
import type { MessageKey } from '../../app/i18n.ts';

const STEPS_BACK: Partial<Record<AppointmentStatus, Partial<Record<AppointmentStatus, MessageKey>>>> = {
  confirmed: { booked: 'visit.action.unconfirm' },
  arrived: { confirmed: 'visit.action.unarrive' },
  completed: { arrived: 'visit.action.reopen' },
  noShow: { booked: 'visit.action.notNoShow' },
};

export function statusActionKey(from: AppointmentStatus, to: AppointmentStatus): MessageKey {
  return STEPS_BACK[from]?.[to] ?? (`visit.action.${to}` as MessageKey);
}
