import { Text } from '@mantine/core';
import { formatDateTime } from '../../app/format.ts';
import { useI18n } from '../../app/i18n.ts';

/**
 * Who changed these settings last, and when (with sync the newest edit wins on every desk, so the screen says whose
 * it is). Nothing when the document carries no stamp (never edited since the stamp exists).
 */
export function LastEdit({ updatedAt, updatedBy, timeZone }: { updatedAt?: string | undefined; updatedBy?: string | undefined; timeZone?: string | undefined }) {
  const i18n = useI18n();
  const at = updatedAt ? Date.parse(updatedAt) : NaN;
  if (!updatedBy || Number.isNaN(at)) return null;
  return (
    <Text size="xs" c="dimmed" data-testid="last-edit">
      {i18n.t('settings.lastEdit', { desk: updatedBy, time: formatDateTime(at, i18n.locale, timeZone) })}
    </Text>
  );
}
