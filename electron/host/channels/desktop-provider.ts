/**
 * OS toasts for staff at a desk, through node-notifier (notify-send on Linux, the Notification Center on
 * macOS, toasts on Windows).
 *
 * Clicks: macOS and Windows report them, and `onClick` then receives the message's click target.
 * notify-send on Linux does not: node-notifier starts it without --wait/--action, so it exits as soon as the
 * notification daemon has the toast and nothing ever hears about a click. On Linux a toast is informational;
 * the notification center in the app is where a click opens the visit card.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import notifier from 'node-notifier';
import type { ChannelProvider, OutgoingMessage, SendOutcome } from '../../../shared/engine/provider.ts';
import { APP_USER_MODEL_ID } from '../app-user-model-id.ts';

export interface DesktopProviderOptions {
  appName?: string;
  /** Absolute path of the icon shown in the toast. */
  icon?: string;
  /** How long the toast stays up, in seconds (node-notifier's unit). Default 10. */
  timeoutSeconds?: number;
  /** Called when the user clicks a toast, where the platform reports clicks (not on Linux). */
  onClick?(target: { appointmentId: string }): void;
  /** Give up on the notifier after this long; a D-Bus call that never returns must not stall dispatch. Default 8 s. */
  sendTimeoutMs?: number;
}

export interface DesktopProvider extends ChannelProvider {
  readonly channel: 'desktop';
  /** Whether a click on a toast can reach `onClick` on this platform. */
  readonly reportsClicks: boolean;
}

type Readiness = { ready: true } | { ready: false; reason: string };

const NOTIFY_SEND_MISSING = 'No notification service on this desktop (notify-send missing) — install libnotify-bin';
/** With wait, node-notifier calls back only when the toast closes; this long without an error means it is showing. */
const SHOWN_GRACE_MS = 1_500;

export function createDesktopProvider(options: DesktopProviderOptions = {}): DesktopProvider {
  const appName = options.appName ?? 'FrontDesk';
  const timeoutSeconds = options.timeoutSeconds ?? 10;
  const sendTimeoutMs = options.sendTimeoutMs ?? 8_000;
  const linuxLike = process.platform === 'linux' || process.platform.endsWith('bsd');
  const reportsClicks = !linuxLike && options.onClick !== undefined;
  // suppressOsdCheck: node-notifier caches a failed `which notify-send` for the life of the process,
  // which would keep toasts off after the user installs it; readiness does that check instead.
  const linuxNotifier = linuxLike ? new notifier.NotifySend({ suppressOsdCheck: true } as ConstructorParameters<typeof notifier.NotifySend>[0]) : undefined;

  function readiness(_locationId: string): Readiness {
    if (linuxLike) {
      if (!findOnPath('notify-send')) return { ready: false, reason: NOTIFY_SEND_MISSING };
      if (!process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
        return { ready: false, reason: 'No graphical desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
      }
      return { ready: true };
    }
    if (process.platform === 'darwin' || process.platform === 'win32') return { ready: true };
    return { ready: false, reason: `Desktop notifications are not supported on ${process.platform}` };
  }

  function send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    const ready = readiness(message.locationId);
    if (!ready.ready) return Promise.resolve({ status: 'notTried', reason: ready.reason });
    if (signal?.aborted) return Promise.resolve({ status: 'notTried', reason: 'Cancelled before the toast was shown' });
    const title = message.subject?.trim() || appName;
    const body = message.body.trim() || title;
    const clickTarget = message.clickTarget;
    const wait = reportsClicks && clickTarget !== undefined;

    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(giveUp);
        clearTimeout(shown);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = () => settle({ status: 'failed', reason: 'Cancelled while the toast was being shown', permanent: false });
      const giveUp = setTimeout(
        () => settle({ status: 'failed', reason: `The notification service did not answer within ${sendTimeoutMs / 1000} s`, permanent: false }),
        sendTimeoutMs,
      );
      const shown = wait ? setTimeout(() => settle({ status: 'delivered', detail: 'Toast shown; a click opens the visit card' }), SHOWN_GRACE_MS) : undefined;
      signal?.addEventListener('abort', onAbort, { once: true });

      const callback = (error: Error | string | null, response: string | undefined, metadata?: { activationType?: string }) => {
        if (error instanceof Error) {
          settle({ status: 'failed', reason: describeNotifierError(error), permanent: false });
          return;
        }
        if (wait && clickTarget && isClick(response, metadata)) options.onClick?.(clickTarget);
        // A string "error" is notify-send's stderr from a run that exited 0: the toast went out with a warning.
        const warning = typeof error === 'string' && error.trim() ? `; the notifier warned: ${firstLine(error)}` : '';
        settle({ status: 'delivered', detail: `Toast shown by ${linuxLike ? 'notify-send' : 'the system'}${warning}` });
      };

      try {
        if (linuxNotifier) {
          linuxNotifier.notify(
            {
              title,
              message: body,
              timeout: timeoutSeconds,
              ...(options.icon ? { icon: options.icon } : {}),
              'app-name': appName,
            } as Parameters<typeof linuxNotifier.notify>[0],
            callback as Parameters<typeof linuxNotifier.notify>[1],
          );
        } else {
          // timeout and appID exist on the macOS/Windows notifiers, not on the common type the overloads resolve to.
          const platformOptions: Record<string, unknown> = { title, message: body, wait, timeout: timeoutSeconds, appID: APP_USER_MODEL_ID };
          if (options.icon) platformOptions['icon'] = options.icon;
          notifier.notify(platformOptions as notifier.Notification, callback as Parameters<typeof notifier.notify>[1]);
        }
      } catch (error) {
        settle({ status: 'failed', reason: describeNotifierError(error), permanent: false });
      }
    });
  }

  return { channel: 'desktop', reportsClicks, readiness, send };
}

function isClick(response: string | undefined, metadata?: { activationType?: string }): boolean {
  const value = (metadata?.activationType ?? response ?? '').toLowerCase();
  return value === 'activate' || value === 'click' || value === 'clicked' || value === 'contentsclicked';
}

/** Turns what notify-send / D-Bus print into something a receptionist (or the person helping them) can act on. */
export function describeNotifierError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 127 || code === 'ENOENT' || /notify-send: (not found|command not found)|must be installed/i.test(text)) {
    return NOTIFY_SEND_MISSING;
  }
  if (/ServiceUnknown|not provided by any \.service|NoReply|org\.freedesktop\.Notifications/i.test(text)) {
    return 'No notification daemon is running on this desktop, so the toast could not be shown';
  }
  if (/autolaunch|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect|dbus/i.test(text)) {
    return 'The desktop session bus (D-Bus) is not reachable, so the toast could not be shown';
  }
  return `The desktop notification could not be shown: ${firstLine(text)}`;
}

function firstLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  // exec errors start with "Command failed: <command line>", which repeats the toast text; the cause follows.
  const meaningful = lines.find((line) => !line.startsWith('Command failed:')) ?? lines[0] ?? 'unknown error';
  return meaningful.length > 200 ? `${meaningful.slice(0, 199)}…` : meaningful;
}

/** `which`, without a child process: readiness is asked often and must stay cheap and synchronous. */
export function findOnPath(command: string, searchPath = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}
