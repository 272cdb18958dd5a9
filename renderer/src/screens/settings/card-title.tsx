import type { ReactNode } from 'react';
import { Group, ThemeIcon, Title, type MantineColor, type MantineSpacing } from '@mantine/core';

/** The heading every settings card starts with: a tinted icon and a title. */
export function CardTitle({ icon, color, mb, children }: { icon: ReactNode; color?: MantineColor; mb?: MantineSpacing | number; children: ReactNode }) {
  return (
    <Group gap="xs" {...(mb !== undefined ? { mb } : {})}>
      <ThemeIcon variant="light" radius="md" {...(color ? { color } : {})}>
        {icon}
      </ThemeIcon>
      <Title order={4}>{children}</Title>
    </Group>
  );
}
