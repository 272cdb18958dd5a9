import { Button, Group, Modal, Text } from '@mantine/core';
import { useI18n } from './i18n.ts';
import { useDiscardQuestion } from './unsaved.ts';

/** The question `confirmDiscard()` asks: keep editing (the default, and what Escape does) or discard the edits. */
export function UnsavedPrompt() {
  const { t } = useI18n();
  const { open, answer, dismiss } = useDiscardQuestion();
  return (
    <Modal opened={open} onClose={dismiss} closeButtonProps={{ 'aria-label': t('common.close') }} title={<Text fw={700}>{t('unsaved.title')}</Text>} centered zIndex={400} data-testid="unsaved-prompt">
      <Text size="sm" mb="md">{t('unsaved.body')}</Text>
      <Group justify="flex-end" className="fd-dialog-actions">
        <Button variant="default" onClick={() => answer(false)} data-testid="unsaved-keep" data-autofocus>
          {t('unsaved.keep')}
        </Button>
        <Button color="red" onClick={() => answer(true)} data-testid="unsaved-discard">
          {t('unsaved.discard')}
        </Button>
      </Group>
    </Modal>
  );
}
