/** The log screen's RecentLogFeed: one per location, filled once the screen's first answer showed, fed by the host's events. */
import { useEffect, useMemo } from 'react';
import type { ApiClient } from '../../../../shared/ipc/client.ts';
import { useConnectionClosed, useHostEvent, useHostEventData } from '../../app/host-events.ts';
import { whenIdle } from '../../app/when-idle.ts';
import { RecentLogFeed } from './recent-log-feed.ts';

/** @param shown whether the screen's first rows have shown: filling starts after them, not before. */
export function useRecentLogFeed(api: ApiClient, locationId: string | undefined, shown: boolean): RecentLogFeed {
  const feed = useMemo(() => new RecentLogFeed((request) => api.call('log.list', request), locationId), [api, locationId]);
  useEffect(() => {
    if (!shown) return;
    const cancel = whenIdle(() => feed.start(), 1_000);
    return () => {
      cancel();
      feed.stop();
    };
  }, [feed, shown]);
  useHostEventData('deliveryLogChanged', (event) => feed.changed(event.fromMs));
  // A host that stopped unexpectedly may have written entries whose event it never sent: everything is fetched again.
  useHostEvent('hostRestarted', () => feed.changed(undefined));
  useConnectionClosed(() => feed.lost());
  return feed;
}
