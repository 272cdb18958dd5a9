import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, List, Paper, Stack, Switch, Text, Title, UnstyledButton } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconDeviceFloppy } from '@tabler/icons-react';
import type { ChannelSetting, Template } from '../../../../shared/domain/notification-settings.ts';
import type { Channel, Language } from '../../../../shared/notifications/catalog.ts';
import { errorText } from '../../app/coded-text.ts';
import { useConnection } from '../../app/connection-context.ts';
import { useI18n } from '../../app/i18n.ts';
import { useUnsavedChanges } from '../../app/unsaved.ts';
import { LastEdit } from './last-edit.tsx';
import { CascadeCard, channelsOf } from './cascade-card.tsx';
import { channelLabel, issueText, timingIssues, typeLabel, type Issue, type NotificationSettings, type NotificationTiming } from './model.ts';
import { TemplateCard } from './template-card.tsx';
import { TimingCard } from './timing-card.tsx';
import { showToast } from '../../app/toast.ts';

interface Props {
  saved: NotificationSettings;
  timeZone: string;
  onSaved(settings: NotificationSettings): void;
  onDirty(dirty: boolean): void;
}

/** Editor of one notification type. Nothing is saved while the host's validator or the timing checks report issues. */
export function TypeEditor({ saved, timeZone, onSaved, onDirty }: Props) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, setDraft] = useState<NotificationSettings>(() => structuredClone(saved));
  // The host's answer for one draft; the draft is being validated while the answer is for another.
  const [checked, setChecked] = useState<{ draft: NotificationSettings | undefined; issues: Issue[] }>({ draft: undefined, issues: [] });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | undefined>();
  const firstOn = channelsOf(saved).find((c) => (saved.channels[c]?.scenario ?? 'off') !== 'off') ?? channelsOf(saved)[0]!;
  const [selection, setSelection] = useState<{ channel: Channel; language: Language }>({ channel: firstOn, language: 'en' });

  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(saved), [draft, saved]);
  useEffect(() => onDirty(dirty), [dirty, onDirty]);
  useUnsavedChanges(dirty);

  // Validate the draft with the host's validator (the same one settings.save runs), debounced.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api
        .call('settings.validate', { settings: draft })
        .then(({ issues }) => live && setChecked({ draft, issues }))
        .catch((e: unknown) => live && setChecked({ draft, issues: [{ field: draft.type, message: errorText(i18n, e) }] }));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, draft, i18n]);

  const validating = checked.draft !== draft;
  const hostIssues = checked.issues;
  const issues = useMemo(() => [...timingIssues(draft), ...hostIssues], [draft, hostIssues]);

  const update = (patch: Partial<NotificationSettings>) => {
    setSaveError(undefined);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const setTiming = (timing: NotificationTiming) => update({ timing });
  const setChannel = (channel: Channel, setting: ChannelSetting) => update({ channels: { ...draft.channels, [channel]: setting } });
  const setTemplate = (channel: Channel, language: Language, template: Template) =>
    update({ templates: { ...draft.templates, [channel]: { ...draft.templates[channel], [language]: template } } });

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const result = await api.call('settings.save', { settings: draft });
      const next = result.settings as unknown as NotificationSettings;
      setDraft(structuredClone(next));
      onSaved(next);
      showToast(t, { color: 'teal', icon: <IconCheck size={16} />, message: t('settings.savedToast', { type: t(typeLabel(draft.type)) }) });
    } catch (error) {
      setSaveError(errorText(i18n, error));
    } finally {
      setSaving(false);
    }
  };

  /** Jumps the template editor to the channel and language an issue is about. */
  const reveal = (issue: Issue) => {
    const match = /\.templates\.(\w+)\.(en|ru)/.exec(issue.field);
    if (match) setSelection({ channel: match[1] as Channel, language: match[2] as Language });
  };
  /** Where an issue is, in the screen's own words (a card, a channel, a template part) — never the field path. */
  const fieldLabel = (issue: Issue) => {
    const template = /\.templates\.(\w+)\.(en|ru)(?:\.(\w+))?/.exec(issue.field);
    if (template) {
      const part = template[3] === 'subject' ? t('settings.template.subject') : template[3] === 'title' ? t('settings.template.title') : template[3] === 'body' ? t('settings.template.body') : t('settings.templates');
      return `${t(channelLabel(template[1]!))} · ${template[2]!.toUpperCase()} · ${part}`;
    }
    const channel = /\.channels\.(\w+)/.exec(issue.field);
    if (channel) return `${t('settings.cascade')} · ${t(channelLabel(channel[1]!))}`;
    if (/\.channels$/.test(issue.field)) return t('settings.cascade');
    if (issue.field.includes('.timing.')) return t('settings.timing');
    return t(typeLabel(draft.type));
  };

  return (
    <Stack gap="md" data-testid="type-editor" data-type={draft.type}>
      <Paper withBorder p="lg" radius="lg">
        {/* Wraps: beside a long title (Russian, a narrow window) Save went past the window's edge. */}
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={3} data-testid="type-title">
                {t(typeLabel(draft.type))}
              </Title>
              {dirty && (
                <Badge color="orange" variant="light" data-testid="unsaved-badge">
                  {t('settings.unsaved')}
                </Badge>
              )}
            </Group>
            <LastEdit updatedAt={saved.updatedAt} updatedBy={saved.updatedBy} timeZone={timeZone} />
            <Switch
              size="md"
              mt={6}
              label={draft.enabled ? t('settings.enabled') : t('settings.disabled')}
              checked={draft.enabled}
              onChange={(e) => update({ enabled: e.currentTarget.checked })}
              data-testid="type-enabled"
            />
          </Stack>
          <Group gap="sm" wrap="nowrap">
            <Button variant="default" disabled={!dirty || saving} onClick={() => setDraft(structuredClone(saved))} data-testid="discard-button">
              {t('common.discard')}
            </Button>
            <Button
              leftSection={<IconDeviceFloppy size={16} />}
              disabled={!dirty || issues.length > 0 || validating}
              loading={saving}
              onClick={() => void save()}
              data-testid="save-button"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Group>
        {issues.length > 0 && (
          <Alert mt="md" color="red" variant="light" icon={<IconAlertCircle size={18} />} title={t('settings.invalid', { count: issues.length })} data-testid="issues-summary">
            <List size="sm" spacing={2}>
              {issues.slice(0, 8).map((issue) => (
                <List.Item key={`${issue.field}|${issue.message}`}>
                  <UnstyledButton onClick={() => reveal(issue)} fz="sm">
                    <Text span fw={600} fz="sm">
                      {fieldLabel(issue)}
                    </Text>
                    <Text span fz="sm">
                      {' '}— {issueText(issue, i18n)}
                    </Text>
                  </UnstyledButton>
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {saveError && (
          <Alert mt="md" color="red" title={t('settings.saveFailed')} data-testid="save-error">
            {saveError}
          </Alert>
        )}
      </Paper>
      <TimingCard draft={draft} timeZone={timeZone} issues={issues} onChange={setTiming} onQuietHours={(respectQuietHours) => update({ respectQuietHours })} />
      <CascadeCard draft={draft} issues={issues} onChange={setChannel} />
      <TemplateCard
        draft={draft}
        issues={issues}
        channel={selection.channel}
        language={selection.language}
        onSelect={(channel, language) => setSelection({ channel, language })}
        onChange={setTemplate}
      />
    </Stack>
  );
}
