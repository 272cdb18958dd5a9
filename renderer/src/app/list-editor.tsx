/**
 * The layout of the Staff and Services screens: a titled list with a "New" button on the left, the editor of the
 * chosen entry on the right (or a hint to choose one). One component, so the two screens stay alike.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Card, Grid, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { navigate } from './router.ts';

export interface ListEditorProps {
  testId: string;
  title: string;
  /** The "New" button: its label, icon, test id and what it does. */
  newLabel: string;
  newIcon: ReactNode;
  newTestId: string;
  onNew(): void;
  /** Columns (of 12, from sm = 768 px up: a laptop at 150 % is 911 px wide) the list takes; the editor takes the rest. */
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
      <Grid.Col span={{ base: 12, sm: listSpan }}>
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
      <Grid.Col span={{ base: 12, sm: 12 - listSpan }}>
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

/**
 * A new entry goes to its own route once saved — after the render that marked the form saved, so the unsaved-changes
 * guard no longer counts its edits — and only once its document is in `entries`: the host's answer comes on the API
 * socket and the document on the storage socket, in either order, and the new route said "Choose …" until the document
 * came. `waiting` is true meanwhile: the form keeps its Save button busy. "created" keeps the saved message on the form
 * that replaces this one.
 */
export function useOpenWhenCreated(screen: 'services' | 'staff', entries: readonly { id: string }[]): { opened(id: string): void; waiting: boolean } {
  const [createdId, setCreatedId] = useState<string | undefined>();
  const shown = createdId !== undefined && entries.some((entry) => entry.id === createdId);
  useEffect(() => {
    if (createdId && shown) navigate({ screen, params: [createdId, 'created'] });
  }, [screen, createdId, shown]);
  return { opened: setCreatedId, waiting: createdId !== undefined && !shown };
}
