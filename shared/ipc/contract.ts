/**
 * The one IPC contract: every channel the renderer may call, with runtime schemas for request and
 * response. Electron main, the web-mode WebSocket, the preload and the renderer's client are all
 * derived from this object, so a channel cannot exist in one place and not the others.
 */
import { z } from 'zod';
import type { ChannelName } from './channels.ts';

export { CHANNEL_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './channels.ts';

const empty = z.object({}).strict();

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  dataDir: z.string(),
  startedAt: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const contract = {
  'app.info': { request: empty, response: appInfoSchema },
  'app.ping': {
    request: z.object({ echo: z.string().max(1000) }).strict(),
    response: z.object({ echo: z.string(), at: z.string() }),
  },
} as const satisfies Record<ChannelName, { request: z.ZodType; response: z.ZodType }>;

// Both directions: every listed name has a schema, and every schema is listed.
const everyChannelListed: ChannelName = '' as keyof typeof contract;
void everyChannelListed;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

export const hostEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('openAppointment'), appointmentId: z.string() }),
  z.object({ type: z.literal('hostStopping') }),
]);
export type HostEvent = z.infer<typeof hostEventSchema>;
