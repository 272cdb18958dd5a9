/**
 * A screen that cannot be shown — its code could not be loaded (web mode: the host stopped, or was updated under the
 * open page) or it failed while rendering — says so in its place. Without it React unmounts the whole app and the
 * desk is a blank window: the navigation, the header's status and what other screens hold all gone with it.
 */
import { Component, type ReactNode } from 'react';
import { Alert, Button, Code, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useI18n } from './i18n.ts';

interface Props {
  children: ReactNode;
  /** When it changes (another screen, another visit), a failure shown is cleared and the children tried again. */
  resetKey: string | undefined;
}

interface State {
  error: Error | undefined;
}

export class ScreenErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error('FrontDesk: a screen failed', error);
  }

  override componentDidUpdate(previous: Props): void {
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: undefined });
  }

  override render(): ReactNode {
    return this.state.error ? <ScreenFailed error={this.state.error} /> : this.props.children;
  }
}

function ScreenFailed({ error }: { error: Error }) {
  const { t } = useI18n();
  return (
    <Alert color="red" variant="light" title={t('chrome.screenFailed')} icon={<IconAlertTriangle />} data-testid="screen-failed">
      <Text size="sm">{t('chrome.screenFailedHint')}</Text>
      <Code block mt="xs" data-testid="screen-failed-detail">{error.message}</Code>
      <Group mt="sm">
        <Button size="xs" variant="light" color="red" leftSection={<IconRefresh size={14} />} onClick={() => window.location.reload()} data-testid="screen-failed-reload">
          {t('chrome.reloadPage')}
        </Button>
      </Group>
    </Alert>
  );
}
