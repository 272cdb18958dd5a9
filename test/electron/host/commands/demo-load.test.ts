/** "Explore with a demo salon": the demo loads through the API into an empty data folder (not only with --demo). */
import { describe, expect, it } from 'vitest';
import { startMemoryHost } from '../support/memory-host.ts';

describe('demo.load on an empty data folder', () => {
  it('loads the demo salon through the API', async () => {
    const empty = await startMemoryHost('salon-setup-demo');
    try {
      const result = await empty.host.api.call('demo.load', {});
      expect(result).toMatchObject({ ok: true, value: { locationId: 'loc-lumiere' } });
      expect(await empty.host.runtime.db.staff.count().exec()).toBeGreaterThan(0);
    } finally {
      await empty.stop();
    }
  }, 60_000);
});

