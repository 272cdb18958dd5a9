/**
 * The page opens its message collections (jobs, delivery_log) only for the screens that show messages, and closes
 * them once nobody has shown messages for MESSAGE_COLLECTIONS_IDLE_MS: a card opened after that opens them again, and
 * its messages are live as before. A visit pointed at asks for its messages before it is pressed (prefetch-visit.ts).
 */
import { describe, expect, it } from 'vitest';
import { MESSAGE_COLLECTIONS_IDLE_MS } from '../../renderer/src/data/database.ts';
import { demoWorkday } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

describe('message collections opened on demand (demo salon, web mode)', () => {
  it('are opened by a visit card, closed when unused, and opened again live', async () => {
    const created: string[] = [];
    const closed: string[] = [];
    /** The jobs queries' selectors, in the order sent, each with the number of presses the page had seen by then. */
    const jobQueries: { selector: string; presses: number }[] = [];
    const names = new Map<string, string>();
    let presses = 0;
    const { host, page } = await sessions.open({
      beforeOpen: (p) =>
        p.routeWebSocket(/\/rxdb\?token=/, (socket) => {
          const server = socket.connectToServer();
          socket.onMessage((message) => {
            const request = JSON.parse(String(message)) as { method?: string; connectionId?: string; params?: { collectionName?: string } };
            if (request.method === 'query' && request.connectionId && names.get(request.connectionId) === 'jobs') {
              jobQueries.push({ selector: JSON.stringify(request.params), presses });
            }
            if (request.method === 'create' && request.params?.collectionName && request.connectionId) {
              created.push(request.params.collectionName);
              names.set(request.connectionId, request.params.collectionName);
            }
            if (request.method === 'close' && request.connectionId) closed.push(names.get(request.connectionId) ?? '?');
            server.send(message);
          });
          server.onMessage((message) => socket.send(message));
        }),
    });
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday(2));
    expect(created).not.toContain('jobs');
    expect(created).not.toContain('delivery_log');

    await page.exposeFunction('notePress', () => presses++);
    await page.evaluate(() => addEventListener('pointerdown', () => void (window as unknown as { notePress(): void }).notePress(), { capture: true }));
    const block = page.locator('[data-testid="appointment-block"][data-status="booked"]').nth(2);
    const visitId = (await block.getAttribute('data-appointment-id')) ?? '';
    expect(visitId).not.toBe('');
    // Pointed at, not pressed: its jobs are asked for (the collections opened for that), and nothing else's.
    await block.hover();
    await expect.poll(() => jobQueries.filter((q) => q.selector.includes(JSON.stringify(visitId))).length).toBe(1);
    expect(jobQueries).toEqual([expect.objectContaining({ presses: 0 })]);
    await block.click();
    await card.waitOpen();
    await card.messages.first().waitFor();
    expect(created.filter((name) => name === 'jobs' || name === 'delivery_log').sort()).toEqual(['delivery_log', 'jobs']);

    // Closed, the card no longer needs them: after the idle time the page closes both (and the host's change stream).
    await page.keyboard.press('Escape');
    await card.root.waitFor({ state: 'detached' });
    await expect.poll(() => closed.slice().sort(), { timeout: MESSAGE_COLLECTIONS_IDLE_MS + 15_000 }).toEqual(['delivery_log', 'jobs']);

    // Opened again: both created anew, the messages shown, and a change the host makes shows live.
    await block.click();
    await card.waitOpen();
    await card.messages.first().waitFor();
    expect(created.filter((name) => name === 'jobs').length).toBe(2);
    expect(created.filter((name) => name === 'delivery_log').length).toBe(2);
    await card.setStatus('cancelled');
    await card.job('cancellationNotice').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => card.job('reminder', 'planned').count(), { timeout: 20_000 }).toBe(0);
  }, MESSAGE_COLLECTIONS_IDLE_MS + 90_000);
});
