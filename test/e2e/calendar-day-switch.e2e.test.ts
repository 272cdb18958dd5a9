/**
 * A day switch in the day view: the days beside the one on screen are asked for once it is painted, so ← and →
 * show them from the renderer's query cache without waiting for the host; and the columns beside the view, left out
 * of the switch's own render, are filled right after it; and the switch renders the grid once.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { dayRange } from '../../renderer/src/screens/calendar/calendar-model.ts';
import { DEMO_ZONE } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';

// Narrow: the demo salon's specialists do not all fit, so there are columns beside the view.
const sessions = useDemoSessions({ viewport: { width: 900, height: 800 } });

/** The next Tuesday (within the demo's visits): Monday before it and Wednesday after it have visits too. */
function futureTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), DEMO_ZONE).date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), DEMO_ZONE).weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

interface StorageReads {
  /** Start (`$gte`) of every visits-by-day query the host has answered. */
  answeredDays(): number[];
  /** The day view's reads (visits by day, clients by id) sent to the host and not answered yet. */
  pending(): number;
  /** From now on, the host's answers to reads (queries, documents by id) stay with the test. */
  hold(): void;
}

/** Routes the page's storage socket (RxDB's remote-storage messages): reads can be watched and held back. */
async function watchedStorageReads(page: Page): Promise<StorageReads> {
  const dayOfRequest = new Map<string, number>();
  const answeredDays: number[] = [];
  // Per socket: a page loaded anew (calendar.open) leaves the previous page's reads unanswered for good.
  let pending = new Set<string>();
  const visitsConnections = new Set<string>();
  const clientsConnections = new Set<string>();
  let holding = false;
  const held: (string | Buffer)[] = [];
  await page.routeWebSocket(/\/rxdb\?token=/, (socket) => {
    const host = socket.connectToServer();
    const pendingHere = new Set<string>();
    pending = pendingHere;
    socket.onMessage((message) => {
      const request = JSON.parse(String(message)) as {
        requestId?: string;
        connectionId?: string;
        method?: string;
        params?: { collectionName?: string; query?: { selector?: { startMs?: { $gte?: number } } } } | { query?: { selector?: { startMs?: { $gte?: number } } } }[];
      };
      const params = request.params;
      if (request.method === 'create' && !Array.isArray(params) && request.connectionId) {
        if (params?.collectionName === 'appointments') visitsConnections.add(request.connectionId);
        if (params?.collectionName === 'clients') clientsConnections.add(request.connectionId);
      }
      // The day view's reads: visits by a query, their clients by id (other screens' client lists are queries too).
      const connection = request.connectionId ?? '';
      const calendarRead = (request.method === 'query' && visitsConnections.has(connection)) || (request.method === 'findDocumentsById' && clientsConnections.has(connection));
      if (calendarRead && request.requestId !== undefined) pendingHere.add(request.requestId);
      const from = request.method === 'query' && Array.isArray(params) ? params[0]?.query?.selector?.startMs?.$gte : undefined;
      if (request.requestId !== undefined && from !== undefined) dayOfRequest.set(request.requestId, from);
      host.send(message);
    });
    host.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { answerTo?: string; method?: string };
      if (holding && (answer.method === 'query' || answer.method === 'findDocumentsById')) {
        held.push(message);
        return;
      }
      if (answer.answerTo !== undefined) {
        pendingHere.delete(answer.answerTo);
        const from = dayOfRequest.get(answer.answerTo);
        if (from !== undefined) answeredDays.push(from);
      }
      socket.send(message);
    });
  });
  return {
    answeredDays: () => [...answeredDays],
    pending: () => pending.size,
    hold() {
      holding = true;
    },
  };
}

interface ColumnState {
  visits: number;
  mounted: boolean;
  blocks: number;
  /** Some of it is inside the grid's viewport, right of the hour gutter. */
  inView: boolean;
}

function columnStates(page: Page): Promise<ColumnState[]> {
  return page.getByTestId('calendar-day').evaluate((grid) => {
    const box = grid.getBoundingClientRect();
    const gutter = 56;
    return [...grid.querySelectorAll('[data-testid="calendar-column"]')].map((c) => {
      const r = c.getBoundingClientRect();
      return {
        visits: Number(c.getAttribute('data-visits')),
        mounted: c.hasAttribute('data-mounted'),
        blocks: c.querySelectorAll('[data-testid="appointment-block"]').length,
        inView: r.right > box.left + gutter && r.left < box.left + grid.clientWidth,
      };
    });
  });
}

/** The day grid shows `date` with every mounted column's blocks, none of them waiting for its client's name. */
async function dayComplete(page: Page, date: string): Promise<boolean> {
  if ((await page.getByTestId('calendar-day').getAttribute('data-date')) !== date) return false;
  if ((await page.getByText('Loading…', { exact: true }).count()) > 0) return false;
  const columns = await columnStates(page);
  return columns.some((c) => c.blocks > 0) && columns.every((c) => !c.mounted || c.blocks === c.visits);
}

describe('calendar day switch (demo salon, web mode, narrow window)', () => {
  it('shows the day before and after from what it asked for once painted, in the click’s task, with the host not answering', async () => {
    let reads: StorageReads | undefined;
    const { host, page } = await sessions.open({ beforeOpen: async (p) => void (reads = await watchedStorageReads(p)) });
    const calendar = new CalendarPage(page);
    const day = futureTuesday();
    const [before, after] = [addDaysToLocalDate(day, -1), addDaysToLocalDate(day, 1)];
    await calendar.open(host.openUrl, 'day', day);
    await expect.poll(() => dayComplete(page, day)).toBe(true);

    // The visits of two days on each side were asked for and answered, then their clients (no read left under way).
    const around = [-2, -1, 1, 2].map((offset) => dayRange(addDaysToLocalDate(day, offset), DEMO_ZONE)[0]);
    await expect.poll(() => reads!.answeredDays()).toEqual(expect.arrayContaining(around));
    await expect.poll(() => reads!.pending()).toBe(0);
    await page.waitForTimeout(300);
    expect(reads!.pending()).toBe(0);

    reads!.hold();
    // The click's own task shows the next day: no frame of the old one, no task after it, no answer from the host.
    const shownInTheClicksTask = await page.evaluate(async () => {
      document.querySelector<HTMLElement>('[data-testid="calendar-next"]')!.click();
      for (let i = 0; i < 3; i++) await Promise.resolve();
      return document.querySelector('[data-testid="calendar-day"]')?.getAttribute('data-date');
    });
    expect(shownInTheClicksTask).toBe(after);
    await expect.poll(() => dayComplete(page, after)).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => dayComplete(page, day)).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => dayComplete(page, before)).toBe(true);
  });

  it('asks for the days ahead after each switch’s paint, even when the next click comes at once (never idle)', async () => {
    const { host, page } = await sessions.open({
      // The start of every visits-by-day query the page sends, and a marker per click, in the page's own order.
      beforeOpen: (p) =>
        p.addInitScript(() => {
          const sent: (number | string)[] = [];
          (window as unknown as { __sent: typeof sent }).__sent = sent;
          const send = WebSocket.prototype.send;
          WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket["send"]>[0]) {
            const message = typeof data === 'string' && data.includes('"method":"query"') ? (JSON.parse(data) as { params?: { query?: { selector?: { startMs?: { $gte?: number } } } }[] }) : undefined;
            const from = message?.params?.[0]?.query?.selector?.startMs?.$gte;
            if (typeof from === 'number') sent.push(from);
            return send.call(this, data);
          };
        }),
    });
    const calendar = new CalendarPage(page);
    const day = futureTuesday();
    await calendar.open(host.openUrl, 'day', day);
    await expect.poll(() => dayComplete(page, day)).toBe(true);
    const dayStart = (offset: number) => dayRange(addDaysToLocalDate(day, offset), DEMO_ZONE)[0];
    await expect.poll(() => page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent)).toEqual(expect.arrayContaining([dayStart(1), dayStart(2)]));

    // → twice, each click in the task right after the previous day's paint (as bench:ui and a quick hand click):
    // no idle moment in between, which the asking used to wait for, and the switch then cancelled.
    await page.evaluate(async (dates) => {
      const sent = (window as unknown as { __sent: (number | string)[] }).__sent;
      const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 0), 0)));
      for (const date of dates) {
        sent.push(`click ${date}`);
        document.querySelector<HTMLElement>('[data-testid="calendar-next"]')!.click();
        while (document.querySelector('[data-testid="calendar-day"]')?.getAttribute('data-date') !== date) await new Promise((resolve) => setTimeout(resolve, 5));
        await painted();
      }
      sent.push('done');
    }, [addDaysToLocalDate(day, 1), addDaysToLocalDate(day, 2)]);
    const sent = await page.evaluate(() => (window as unknown as { __sent: (number | string)[] }).__sent);
    // Day +3 was asked for after day +1's paint, before the click that left it; day +4 after day +2's.
    const secondClick = sent.indexOf(`click ${addDaysToLocalDate(day, 2)}`);
    expect(sent.indexOf(dayStart(3))).toBeGreaterThan(sent.indexOf(`click ${addDaysToLocalDate(day, 1)}`));
    expect(sent.indexOf(dayStart(3))).toBeLessThan(secondClick);
    expect(sent.indexOf(dayStart(4))).toBeGreaterThan(secondClick);
    expect(sent.indexOf(dayStart(4))).toBeLessThan(sent.indexOf('done'));
  });

  it('changes the address once the page is idle after a switch, one history entry per day: Back and Forward go through them', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    const day = futureTuesday();
    const next = addDaysToLocalDate(day, 1);
    await calendar.open(host.openUrl, 'day', day);
    await expect.poll(() => dayComplete(page, day)).toBe(true);

    // history.pushState waits for the browser process: not in the click's task, but once the page is idle after it.
    const inTheClicksTask = await page.evaluate(() => {
      document.querySelector<HTMLElement>('[data-testid="calendar-next"]')!.click();
      return location.hash;
    });
    expect(inTheClicksTask).toBe(`#/calendar/day/${day}`);
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/calendar/day/${next}`);
    await expect.poll(() => dayComplete(page, next)).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => dayComplete(page, day)).toBe(true);
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/calendar/day/${day}`);

    // Entries: the opened day, the next one (click), the opened day again (←).
    for (const [move, date] of [['back', next], ['back', day], ['forward', next]] as const) {
      await (move === 'back' ? page.goBack() : page.goForward());
      await expect.poll(() => dayComplete(page, date)).toBe(true);
      expect(new URL(page.url()).hash).toBe(`#/calendar/day/${date}`);
    }
  });

  it('fills the column beside the view after a switch, and every mounted column completely', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    const day = futureTuesday();
    await calendar.open(host.openUrl, 'day', day);
    await expect.poll(() => dayComplete(page, day)).toBe(true);

    for (const [key, date] of [['ArrowRight', addDaysToLocalDate(day, 1)], ['ArrowLeft', day]] as const) {
      await page.keyboard.press(key);
      await expect.poll(() => dayComplete(page, date)).toBe(true);
      await expect
        .poll(async () => {
          const columns = await columnStates(page);
          const lastInView = columns.findLastIndex((c) => c.inView);
          return { beside: columns[lastInView + 1]?.mounted, inViewMounted: columns.every((c) => !c.inView || c.mounted) };
        })
        .toEqual({ beside: true, inViewMounted: true });
      const columns = await columnStates(page);
      expect(columns.length).toBeGreaterThan(columns.findLastIndex((c) => c.inView) + 1);
      for (const column of columns) expect(column.blocks).toBe(column.mounted ? column.visits : 0);
    }
  });

  it('renders the grid once in a switch to a day asked for already, clicked right after the previous frame', async () => {
    const { host, page } = await sessions.open();
    await page.addInitScript(countGridRenders);
    const calendar = new CalendarPage(page);
    const day = futureTuesday();
    await calendar.open(host.openUrl, 'day', day);
    await expect.poll(() => dayComplete(page, day)).toBe(true);
    await page.waitForTimeout(600);
    const inSwitch: number[] = [];
    for (const [button, date] of [['next', addDaysToLocalDate(day, 1)], ['prev', day], ['next', addDaysToLocalDate(day, 1)], ['prev', day], ['next', addDaysToLocalDate(day, 1)], ['prev', day]] as const) {
      inSwitch.push(
        await page.evaluate(
          ({ button, date }) =>
            new Promise<number>((resolve) => {
              const renders = (window as unknown as { __gridRenders: Set<object> }).__gridRenders;
              const before = renders.size;
              (document.querySelector(`[data-testid="calendar-${button}"]`) as HTMLElement).click();
              const shown = () => document.querySelector('[data-testid="calendar-day"]')?.getAttribute('data-date') === date;
              const frame = () => requestAnimationFrame(() => setTimeout(() => resolve(renders.size - before), 0));
              if (shown()) frame();
              else {
                const observer = new MutationObserver(() => {
                  if (!shown()) return;
                  observer.disconnect();
                  frame();
                });
                observer.observe(document.body, { subtree: true, attributes: true, childList: true });
              }
            }),
          { button, date },
        ),
      );
    }
    expect(inSwitch).toEqual(inSwitch.map(() => 1));
  });
});

/**
 * Installed before the app's code: a stand-in for React DevTools' hook, which React calls after every commit. Each
 * render of the grid's component gives its fiber a new first hook object; the set of those counts its renders.
 */
function countGridRenders(): void {
  const renders = new Set<object>();
  type Fiber = { memoizedState: object | null; alternate: Fiber | null; return: Fiber | null };
  Object.assign(window, {
    __gridRenders: renders,
    __REACT_DEVTOOLS_GLOBAL_HOOK__: {
      isDisabled: false,
      supportsFiber: true,
      renderers: new Map(),
      inject: () => 1,
      checkDCE: () => undefined,
      onScheduleFiberRoot: () => undefined,
      onCommitFiberUnmount: () => undefined,
      onPostCommitFiberRoot: () => undefined,
      onCommitFiberRoot: () => {
        const grid = document.querySelector('[data-testid="calendar-day"]') as unknown as Record<string, Fiber> | null;
        const key = grid && Object.keys(grid).find((k) => k.startsWith('__reactFiber$'));
        const component = key ? grid[key]!.return : null;
        for (const fiber of [component, component?.alternate]) if (fiber?.memoizedState) renders.add(fiber.memoizedState);
      },
    },
  });
}
