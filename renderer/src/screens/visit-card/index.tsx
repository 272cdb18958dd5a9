import { Drawer, Text } from '@mantine/core';

/** Placeholder until the visit card is built (issue 5). */
export function VisitCard({ visitId, onClose }: { visitId: string | undefined; onClose: () => void }) {
  return (
    <Drawer opened={visitId !== undefined} onClose={onClose} position="right" size="lg" title="Visit">
      <Text data-testid="visit-card-id">{visitId}</Text>
    </Drawer>
  );
}
