/**
 * The contract's channel names without its schemas, so the sandboxed preload can be generated from
 * the contract without bundling the schema library. contract.ts checks that the two agree.
 */
export const CHANNEL_NAMES = [
  'app.info',
  'app.ping',
  'settings.list',
  'settings.validate',
  'settings.save',
  'templates.preview',
  'messages.sendTest',
  'log.list',
  'teamEvents.list',
  'teamEvents.markRead',
  'appointments.create',
  'appointments.move',
  'appointments.reassign',
  'appointments.changeServices',
  'appointments.setStatus',
  'appointments.cancel',
  'clients.save',
  'jobs.ofAppointment',
  'location.list',
  'location.save',
  'location.setSmtpPassword',
  'sync.status',
  'sync.settings',
  'sync.save',
  'sync.test',
  'providers.list',
  'providers.save',
  'providers.remove',
  'providers.test',
  'providers.sendTest',
  'providers.teamProblems',
  'providers.telegramLink',
  'log.spend',
  'loyalty.points',
  'loyalty.addVoucher',
  'loyalty.markVoucher',
  'appointments.recordPayment',
  'appointments.setReviewLeft',
  'staff.save',
  'services.save',
  'clients.importStart',
  'clients.importRows',
  'clients.importCommit',
  'clients.importCancel',
  'integrations.list',
  'integrations.create',
  'integrations.remove',
  'integrations.setPort',
  'integrations.sendTest',
] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The single Electron IPC channel that carries every contract call (the contract name travels inside). */
export const IPC_INVOKE_CHANNEL = 'frontdesk:api';
/** Host → UI push events (team events, "open visit card" after a toast click, …). */
export const IPC_EVENT_CHANNEL = 'frontdesk:event';
