import { describe, expect, it } from 'vitest';
import { settleWhenInputReleased } from '../../renderer/src/app/start-settled.ts';

const aTask = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('settleWhenInputReleased', () => {
  it('settles at once when nothing is held', () => {
    let done = 0;
    const settle = settleWhenInputReleased(new EventTarget(), () => done++);
    settle();
    expect(done).toBe(1);
  });

  it('waits for a held pointer button to be released, then settles after it, once', async () => {
    const page = new EventTarget();
    let done = 0;
    const settle = settleWhenInputReleased(page, () => done++);
    page.dispatchEvent(new Event('pointerdown'));
    settle();
    await aTask();
    expect(done).toBe(0);
    page.dispatchEvent(new Event('pointerup'));
    // The click comes in the same task as the release: the controls change in a task after it.
    expect(done).toBe(0);
    await aTask();
    expect(done).toBe(1);
    page.dispatchEvent(new Event('pointerdown'));
    page.dispatchEvent(new Event('pointerup'));
    await aTask();
    expect(done).toBe(1);
  });

  it('waits for every held key, and takes the window losing the focus (not an element losing it) as all released', async () => {
    // Listeners kept by type, called with events whose target is set by hand: an element's blur reaches a window's
    // capture listener with the element as its target.
    const listeners = new Map<string, (event: Event) => void>();
    const page = {
      addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => void listeners.set(type, listener as (event: Event) => void),
      removeEventListener: (type: string) => void listeners.delete(type),
    };
    const fire = (type: string, fields: object = {}) => listeners.get(type)?.({ type, ...fields } as unknown as Event);
    let done = 0;
    const settle = settleWhenInputReleased(page, () => done++);
    fire('keydown', { code: 'ShiftLeft' });
    fire('keydown', { code: 'Space' });
    settle();
    fire('keyup', { code: 'Space' });
    fire('blur', { target: { an: 'element' } });
    await aTask();
    expect(done).toBe(0);
    fire('blur', { target: page });
    await aTask();
    expect(done).toBe(1);
    // Settled, it listens no more.
    expect(listeners.size).toBe(0);
  });
});
