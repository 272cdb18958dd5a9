import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Box, Button, Divider, Grid, Group, Indicator, Loader, Menu, Paper, ScrollArea, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconBraces, IconEye, IconTemplate } from '@tabler/icons-react';
import type { Template } from '../../../../shared/domain/notification-settings.ts';
import { LANGUAGES, type Channel, type Language } from '../../../../shared/notifications/catalog.ts';
import { PLACEHOLDERS, placeholdersFor, smsSegments, type TemplateType } from '../../../../shared/notifications/templates/index.ts';
import type { ResponseOf } from '../../../../shared/ipc/contract.ts';
import { useConnection } from '../../app/connection-context.ts';
import { errorText } from '../../app/coded-text.ts';
import { useI18n } from '../../app/i18n.ts';
import { CHANNEL_ICONS, channelsOf } from './cascade-card.tsx';
import { channelLabel, issueText, templatePath, type Issue, type NotificationSettings } from './model.ts';
import { CardTitle } from './card-title.tsx';

type Field = 'subject' | 'title' | 'body';
const TITLED: ReadonlySet<Channel> = new Set<Channel>(['aggregatorPush', 'brandedPush', 'adminPush', 'desktop']);

interface Props {
  draft: NotificationSettings;
  issues: Issue[];
  channel: Channel;
  language: Language;
  onSelect(channel: Channel, language: Language): void;
  onChange(channel: Channel, language: Language, template: Template): void;
}

export function TemplateCard({ draft, issues, channel, language, onSelect, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const template = draft.templates[channel]?.[language];
  const scenario = draft.channels[channel]?.scenario ?? 'off';
  const path = templatePath(draft.type, channel, language);
  const subjectRef = useRef<HTMLInputElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [focused, setFocused] = useState<Field>('body');
  const errorOf = (field: Field | undefined) => {
    const issue = issues.find((i) => i.field === (field ? `${path}.${field}` : path));
    return issue ? issueText(issue, i18n) : undefined;
  };
  const blank: Template = { ...(channel === 'email' ? { subject: '' } : {}), body: '' };
  const current = template ?? blank;
  const set = (field: Field, value: string) => onChange(channel, language, { ...current, [field]: value });

  const insert = (name: string) => {
    const field = focused === 'subject' && channel !== 'email' ? 'body' : focused === 'title' && !TITLED.has(channel) ? 'body' : focused;
    const element = field === 'subject' ? subjectRef.current : field === 'title' ? titleRef.current : bodyRef.current;
    const text = current[field] ?? '';
    const token = `{{${name}}}`;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    set(field, text.slice(0, start) + token + text.slice(end));
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };
  const channelHasIssue = (c: Channel) => issues.some((i) => i.field.startsWith(`${draft.type}.templates.${c}`));
  const languageHasIssue = (l: Language) => issues.some((i) => i.field.startsWith(templatePath(draft.type, channel, l)));
  const missing = errorOf(undefined);

  return (
    <Paper withBorder p="lg" radius="lg" data-testid="template-card">
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <CardTitle icon={<IconTemplate size={18} />}>{t('settings.templates')}</CardTitle>
        {/* The channel names wrap inside their segments rather than push the page wider (Russian, a narrow window). */}
        <Group gap="sm" maw="100%">
          <SegmentedControl
            size="xs"
            maw="100%"
            styles={{ label: { whiteSpace: 'normal' } }}
            data-testid="template-channel"
            value={channel}
            onChange={(c) => onSelect(c as Channel, language)}
            data={channelsOf(draft).map((c) => {
              const Icon = CHANNEL_ICONS[c];
              const on = (draft.channels[c]?.scenario ?? 'off') !== 'off';
              return {
                value: c,
                label: (
                  <Indicator color="red" size={7} disabled={!channelHasIssue(c)} offset={-2}>
                    <Group gap={4} wrap="nowrap" opacity={on ? 1 : 0.55}>
                      <Icon size={14} style={{ flexShrink: 0 }} />
                      <span>{t(channelLabel(c))}</span>
                    </Group>
                  </Indicator>
                ),
              };
            })}
          />
          <SegmentedControl
            size="xs"
            data-testid="template-language"
            value={language}
            onChange={(l) => onSelect(channel, l as Language)}
            data={LANGUAGES.map((l) => ({
              value: l,
              label: (
                <Indicator color="red" size={7} disabled={!languageHasIssue(l)} offset={-2}>
                  <span>{l.toUpperCase()}</span>
                </Indicator>
              ),
            }))}
          />
        </Group>
      </Group>

      {scenario === 'off' && (
        <Text size="sm" c="dimmed" mb="sm">
          {t('settings.template.channelOff')}
        </Text>
      )}
      {missing && (
        <Alert color="red" variant="light" mb="sm" icon={<IconAlertTriangle size={16} />} data-testid="template-missing">
          {missing}
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="sm">
            {channel === 'email' && (
              <TextInput
                ref={subjectRef}
                label={t('settings.template.subject')}
                value={current.subject ?? ''}
                onFocus={() => setFocused('subject')}
                onChange={(e) => set('subject', e.currentTarget.value)}
                error={errorOf('subject')}
                data-testid="template-subject"
              />
            )}
            {TITLED.has(channel) && (
              <TextInput
                ref={titleRef}
                label={t('settings.template.title')}
                value={current.title ?? ''}
                onFocus={() => setFocused('title')}
                onChange={(e) => set('title', e.currentTarget.value)}
                error={errorOf('title')}
                data-testid="template-title"
              />
            )}
            <Textarea
              ref={bodyRef}
              label={t('settings.template.body')}
              autosize
              minRows={5}
              maxRows={14}
              value={current.body}
              onFocus={() => setFocused('body')}
              onChange={(e) => set('body', e.currentTarget.value)}
              error={errorOf('body')}
              data-testid="template-body"
              styles={{ input: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13 } }}
            />
            <Group justify="space-between">
              <PlaceholderMenu type={draft.type} onPick={insert} />
              {channel === 'sms' && (
                <Text size="xs" c="dimmed" data-testid="sms-template-length">
                  {t('settings.sms.templateCounter', { characters: smsSegments(current.body).characters })}
                </Text>
              )}
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Preview draft={draft} channel={channel} language={language} template={current} />
        </Grid.Col>
      </Grid>
    </Paper>
  );
}

function PlaceholderMenu({ type, onPick }: { type: TemplateType; onPick(name: string): void }) {
  const { t } = useI18n();
  return (
    <Menu shadow="md" width={360} position="bottom-start" withinPortal>
      <Menu.Target>
        <Button variant="light" size="xs" leftSection={<IconBraces size={14} />} data-testid="placeholder-picker" onMouseDown={(e) => e.preventDefault()}>
          {t('settings.template.insert')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <ScrollArea.Autosize mah={320}>
          {placeholdersFor(type).map((name) => (
            <Menu.Item key={name} onClick={() => onPick(name)} data-testid={`placeholder-${name}`}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm" ff="monospace">{`{{${name}}}`}</Text>
                <Text size="xs" c="dimmed" ta="right" lineClamp={1}>
                  {PLACEHOLDERS[name].example}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {PLACEHOLDERS[name].description}
              </Text>
            </Menu.Item>
          ))}
        </ScrollArea.Autosize>
      </Menu.Dropdown>
    </Menu>
  );
}

type PreviewResult = ResponseOf<'templates.preview'>;

function Preview({ draft, channel, language, template }: { draft: NotificationSettings; channel: Channel; language: Language; template: Template }) {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  // undefined: the host has not answered yet (nothing is shown but the frame); 'empty': there is no text to preview.
  const [preview, setPreview] = useState<PreviewResult | 'empty' | undefined>();
  const [error, setError] = useState<unknown>();
  const { body, subject, title } = template;
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      if (body.trim() === '') return setPreview('empty');
      api
        .call('templates.preview', {
          locationId: draft.locationId,
          type: draft.type,
          channel,
          language,
          template: {
            body,
            ...(subject !== undefined ? { subject } : {}),
            ...(title !== undefined ? { title } : {}),
          },
        })
        .then((result) => {
          if (!live) return;
          setPreview(result);
          setError(undefined);
        })
        .catch((e: unknown) => live && setError(e));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, draft.locationId, draft.type, channel, language, body, subject, title]);

  return (
    <Box data-testid="template-preview">
      <Group gap={6} mb={6}>
        <IconEye size={16} />
        <Text fw={600} size="sm">
          {t('settings.preview')}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t('settings.previewHint')}
      </Text>
      <Paper
        p="md"
        radius="lg"
        bg={channel === 'sms' ? 'var(--mantine-color-teal-light)' : 'var(--mantine-color-default-hover)'}
        style={{ border: '1px solid var(--mantine-color-default-border)' }}
      >
        {error !== undefined && (
          <Text c="red" size="sm">
            {errorText(i18n, error)}
          </Text>
        )}
        {error === undefined && preview !== undefined && preview !== 'empty' && (
          <Stack gap={6}>
            {preview.subject !== undefined && (
              <Text fw={700} size="sm" data-testid="preview-subject">
                {preview.subject}
              </Text>
            )}
            {preview.title !== undefined && (
              <Text fw={700} size="sm">
                {preview.title}
              </Text>
            )}
            {(preview.subject !== undefined || preview.title !== undefined) && <Divider />}
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="preview-body">
              {preview.body}
            </Text>
          </Stack>
        )}
        {error === undefined && preview === 'empty' && (
          // Not `dimmed`: on this panel's background that grey falls short of 4.5:1 in the dark theme (4.44).
          <Text size="sm" fs="italic" data-testid="preview-empty">
            {t('settings.template.noTemplate')}
          </Text>
        )}
        {error === undefined && preview === undefined && <Loader size="xs" role="status" aria-label={t('settings.previewLoading')} data-testid="preview-loading" />}
      </Paper>
      {preview !== undefined && preview !== 'empty' && preview.sms && (
        <Badge mt="xs" variant="light" color={preview.sms.segments > 2 ? 'orange' : 'teal'} data-testid="sms-counter" tt="none">
          {t('settings.sms.counter', { characters: preview.sms.characters, segments: preview.sms.segments, encoding: preview.sms.encoding })}
        </Badge>
      )}
      {preview !== undefined && preview !== 'empty' && preview.missing.length > 0 && (
        <Text size="xs" c="orange" mt={4}>
          {t('settings.previewMissing', { names: preview.missing.join(', ') })}
        </Text>
      )}
    </Box>
  );
}
