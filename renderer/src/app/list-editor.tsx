/**
 * The layout of the Staff and Services screens: a titled list with a "New" button on the left, the editor of the
 * chosen entry on the right (or a hint to choose one). One component, so the two screens stay alike.
 */
import type { ReactNode } from 'react';
import { Button, Card, Grid, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';

export interface ListEditorProps {
  testId: string;
  title: string;
  /** The "New" button: its label, icon, test id and what it does. */
  newLabel: string;
  newIcon: ReactNode;
  newTestId: string;
  onNew(): void;
  /** Columns (of 12, from md up) the list takes; the editor takes the rest. */
  listSpan: number;
  /** The list's rows; `empty` is shown instead when there are none. */
  rows: ReactNode;
  isEmpty: boolean;
  empty: string;
  /** The editor of the chosen entry; undefined shows `placeholder` with its icon. */
  editor: ReactNode | undefined;
  placeholder: string;
  placeholderIcon: ReactNode;
}

export function ListEditor({ testId, title, newLabel, newIcon, newTestId, onNew, listSpan, rows, isEmpty, empty, editor, placeholder, placeholderIcon }: ListEditorProps) {
  return (
    <Grid gap="md" data-testid={testId}>
      <Grid.Col span={{ base: 12, md: listSpan }}>
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={3}>{title}</Title>
            <Button size="xs" leftSection={newIcon} onClick={onNew} data-testid={newTestId}>
              {newLabel}
            </Button>
          </Group>
          <Card withBorder padding={0} radius="md">
            <ScrollArea.Autosize mah="calc(100vh - 190px)">
              {rows}
              {isEmpty && <Text size="sm" c="dimmed" p="lg" ta="center">{empty}</Text>}
            </ScrollArea.Autosize>
          </Card>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 12 - listSpan }}>
        {editor ?? (
          <Card withBorder radius="md" padding="xl">
            <Stack align="center" gap="xs" py="xl">
              {placeholderIcon}
              <Text c="dimmed">{placeholder}</Text>
            </Stack>
          </Card>
        )}
      </Grid.Col>
    </Grid>
  );
}
