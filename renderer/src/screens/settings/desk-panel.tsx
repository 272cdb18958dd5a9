import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Paper, SimpleGrid, Text, TextInput } from '@mantine/core';
import { IconCheck, IconDeviceDesktop } from '@tabler/icons-react';
import type { Staff } from '../../../../shared/domain/staff.ts';
import { useConnection } from '../../app/connection-context.ts';
import { errorText } from '../../app/coded-text.ts';
import { useI18n } from '../../app/i18n.ts';
import { NO_REFUSAL, refusalOf, type Refusal } from '../../app/issues.ts';
import { useRxQuery } from '../../data/hooks.ts';
import { CardTitle } from './card-title.tsx';
import { showToast } from '../../app/toast.ts';

/**
 * This desk (installation): its name, shown to the other desks, and the staff who work here. Their desktop toasts show
 * on this desk; a desk not told who works at it shows every specialist's toasts.
 */
export function DeskCard() {
  const { api } = useConnection();
  const i18n = useI18n();
  const { t } = i18n;
  const staff = useRxQuery<Staff>((db) => db.staff.find({ selector: { active: true }, sort: [{ name: 'asc' }] }), []);
  const [saved, setSaved] = useState<{ deskName: string; staffIds: string[] } | undefined>();
  const [deskName, setDeskName] = useState('');
  const [staffIds, setStaffIds] = useState<string[]>([]);
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL);
  const [loadError, setLoadError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    api
      .call('desk.settings', {})
      .then((desk) => {
        setSaved(desk);
        setDeskName(desk.deskName);
        setStaffIds(desk.staffIds);
      })
      .catch((e: unknown) => setLoadError(errorText(i18n, e)));
  }, [api, i18n]);
  const dirty = saved !== undefined && (deskName !== saved.deskName || JSON.stringify([...staffIds].sort()) !== JSON.stringify([...saved.staffIds].sort()));
  const save = async () => {
    setSaving(true);
    setRefusal(NO_REFUSAL);
    try {
      const desk = await api.call('desk.save', { deskName, staffIds });
      setSaved(desk);
      showToast(t, { color: 'teal', icon: <IconCheck size={16} />, message: t('desk.savedToast') });
    } catch (e) {
      setRefusal(refusalOf(e, i18n, ['deskName', 'staffIds']));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Paper withBorder p="lg" radius="lg" data-testid="desk-card">
      <CardTitle icon={<IconDeviceDesktop size={18} />} color="teal" mb={4}>
        {t('desk.title')}
      </CardTitle>
      <Text size="sm" c="dimmed" mb="md">
        {t('desk.hint')}
      </Text>
      {loadError && <Alert color="red">{loadError}</Alert>}
      <TextInput label={t('desk.name')} description={t('desk.nameHint')} maw={420} value={deskName} onChange={(e) => setDeskName(e.currentTarget.value)} error={refusal.fields['deskName']} data-testid="desk-name" />
      <Text size="sm" fw={500} mt="md">
        {t('desk.staff')}
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        {staffIds.length === 0 ? t('desk.staffNone') : t('desk.staffSome', { count: staffIds.length })}
      </Text>
      <Checkbox.Group value={staffIds} onChange={setStaffIds}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing={6} data-testid="desk-staff">
          {staff.docs.map((s) => (
            <Checkbox key={s.id} value={s.id} label={s.name} data-testid={`desk-staff-${s.id}`} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      {(refusal.general.length > 0 || refusal.fields['staffIds']) && (
        <Alert color="red" mt="md">
          {[...refusal.general, refusal.fields['staffIds'] ?? ''].join(' ')}
        </Alert>
      )}
      <Group justify="flex-end" mt="md">
        <Button disabled={!dirty} loading={saving} onClick={() => void save()} data-testid="desk-save">
          {t('common.save')}
        </Button>
      </Group>
    </Paper>
  );
}
