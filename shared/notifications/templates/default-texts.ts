/** Shapes of the default texts; kept apart so each language file holds nothing but words. */
import type { ClientNotificationType, TeamEventType } from '../catalog.ts';

export interface ClientTypeTexts {
  readonly email: { readonly subject: string; readonly body: string };
  /** Used for aggregatorPush and brandedPush alike. */
  readonly push: { readonly title: string; readonly body: string };
  /** GSM-7 only in English, so one English SMS stays within two segments. */
  readonly sms: string;
}

export interface TeamEventTexts {
  readonly title: string;
  readonly body: string;
}

export type ClientDefaults = Readonly<Record<ClientNotificationType, ClientTypeTexts>>;
export type TeamDefaults = Readonly<Record<TeamEventType, TeamEventTexts>>;
