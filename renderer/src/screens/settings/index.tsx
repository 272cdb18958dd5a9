import { Text, Title } from '@mantine/core';
import type { Route } from '../../app/router.ts';

/** Placeholder until the screen is built (issue 5). */
export function SettingsScreen({ route }: { route: Route }) {
  return (
    <>
      <Title order={2}>SettingsScreen</Title>
      <Text c="dimmed">Not built yet ({route.params.join('/') || 'no parameters'}).</Text>
    </>
  );
}
