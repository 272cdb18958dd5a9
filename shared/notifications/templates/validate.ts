/**
 * Template validation (DESIGN.md §3 "settings validation is part of the product"): every message names the field,
 * e.g. "reminder.templates.sms.ru.body: unknown placeholder {{clientNmae}} (allowed: …)". Nothing is saved while any
 * issue remains; that is the caller's rule.
 */
import { LANGUAGES } from '../catalog.ts';
import type { Channel, Language, Scenario } from '../catalog.ts';
import type { SettingsIssue } from '../cascade.ts';
import { validateScenarios } from '../cascade.ts';
import type { TemplateType } from './placeholders.ts';
import { placeholdersFor } from './placeholders.ts';
import type { MessageTemplate } from './render.ts';
import { parseTemplate } from './syntax.ts';

/** Channels whose messages carry a title line (push apps and desktop toasts); optional there. */
const TITLED: ReadonlySet<Channel> = new Set<Channel>(['aggregatorPush', 'brandedPush', 'adminPush', 'desktop']);

/**
 * Checks one template. `path` names it in messages, default "<type>.templates.<channel>". Refuses: an empty body,
 * a missing or empty subject on email, unbalanced braces, and placeholders the type cannot fill.
 */
export function validateTemplate(
  type: TemplateType,
  channel: Channel,
  template: MessageTemplate | undefined,
  path = `${type}.templates.${channel}`,
): SettingsIssue[] {
  if (template === undefined) return [{ field: path, code: 'settings.template.missing', message: `${path}: missing` }];
  const issues: SettingsIssue[] = [];
  const allowed = placeholdersFor(type);
  const check = (field: string, text: string): void => {
    const parsed = parseTemplate(text);
    for (const e of parsed.errors) issues.push({ field, code: 'settings.template.syntax', params: { position: e.index + 1 }, message: `${field}: ${e.message}` });
    const unknown: string[] = [];
    for (const part of parsed.parts) {
      if (part.kind === 'placeholder' && !(allowed as readonly string[]).includes(part.name) && !unknown.includes(part.name)) {
        unknown.push(part.name);
      }
    }
    if (unknown.length > 0) {
      const list = unknown.map((n) => `{{${n}}}`).join(', ');
      issues.push({
        field,
        code: 'settings.template.placeholder',
        params: { names: list, allowed: allowed.map((n) => `{{${n}}}`).join(', ') },
        message: `${field}: unknown placeholder${unknown.length > 1 ? 's' : ''} ${list} for ${type} (allowed: ${allowed.map((n) => `{{${n}}}`).join(', ')})`,
      });
    }
  };
  if (typeof template.body !== 'string' || template.body.trim() === '') {
    issues.push({ field: `${path}.body`, code: 'settings.template.bodyEmpty', message: `${path}.body: empty; write the message text` });
  } else {
    check(`${path}.body`, template.body);
  }
  if (channel === 'email') {
    if (typeof template.subject !== 'string' || template.subject.trim() === '') {
      issues.push({ field: `${path}.subject`, code: 'settings.template.subjectRequired', message: `${path}.subject: required for email` });
    } else {
      check(`${path}.subject`, template.subject);
    }
  }
  if (TITLED.has(channel) && typeof template.title === 'string') check(`${path}.title`, template.title);
  return issues;
}

/** The notification settings of one type as the validator needs them. */
export interface TypeSettingsInput {
  readonly type: TemplateType;
  readonly channels: Readonly<Partial<Record<Channel, Scenario>>>;
  readonly templates: Readonly<Partial<Record<Channel, Readonly<Partial<Record<Language, MessageTemplate>>>>>>;
}

/**
 * Scenarios and templates of one type together: every channel that is not `off` needs a valid template in every
 * required language (default: all of LANGUAGES). Templates of `off` channels are still checked when present, so a
 * broken draft cannot wait silently to break the day the channel is enabled.
 */
export function validateTemplates(
  settings: TypeSettingsInput,
  requiredLanguages: readonly Language[] = LANGUAGES,
): SettingsIssue[] {
  const { type } = settings;
  const issues = validateScenarios(settings.channels, `${type}.channels`);
  for (const [key, scenario] of Object.entries(settings.channels) as [Channel, Scenario][]) {
    const byLanguage = settings.templates[key];
    const enabled = scenario !== 'off';
    const languages = new Set<Language>(enabled ? requiredLanguages : []);
    for (const l of Object.keys(byLanguage ?? {}) as Language[]) languages.add(l);
    for (const language of languages) {
      const path = `${type}.templates.${key}.${language}`;
      if (!(LANGUAGES as readonly string[]).includes(language)) {
        issues.push({ field: path, code: 'settings.template.language', message: `${path}: unknown language (languages: ${LANGUAGES.join(', ')})` });
        continue;
      }
      issues.push(...validateTemplate(type, key, byLanguage?.[language], path));
    }
  }
  return issues;
}
