/**
 * Dragging a visit block in the day grid to another time or specialist, or its bottom edge to make it longer or
 * shorter. The block follows the pointer snapped to 15 minutes (and to the column under the pointer), labelled with the
 * new start (or, resizing, the new end; at least one step long); nothing is written on release — the drop goes to
 * `onDrop` (the resize to `onResize`), which asks the receptionist to confirm with the same checks as the forms. A
 * press that moves less than a few pixels stays a click (it opens the visit card); Escape during a drag puts the block
 * back.
 *
 * The block is moved with a CSS transform (resized with its height) while dragging — no React render per pointer move.
 */
import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { minutesToHhmm } from '../../../../shared/domain/zoned-time.ts';

export interface BlockDrop {
  appointmentId: string;
  /** The column (specialist) it was dropped on. */
  columnKey: string;
  /** Minutes after local midnight of the column's date at which the visit would start. */
  startMinutes: number;
}

export interface BlockResize {
  appointmentId: string;
  /** Minutes after local midnight of the column's date at which the visit would end (may be 24 × 60). */
  endMinutes: number;
}

export const SNAP_MINUTES = 15;
/** Height of a block's bottom edge that resizes it when dragged (the ::before of .fd-block[data-resizable]). */
export const RESIZE_EDGE_PX = 7;
/** Pointer travel (px) before a press becomes a drag. */
const DRAG_THRESHOLD = 5;

interface Active {
  /** `resize`: the bottom edge was grabbed, only the end moves. */
  mode: 'move' | 'resize';
  element: HTMLElement;
  appointmentId: string;
  fromColumn: HTMLElement;
  startMinutes: number;
  endMinutes: number;
  /** The block's height before a resize, put back on release (the grid re-renders it from the stored visit). */
  height: string;
  x: number;
  y: number;
  dragging: boolean;
  /** Escape put the block back; the release that follows is neither a drop nor a click. */
  abandoned?: boolean;
  drop?: BlockDrop;
  resize?: BlockResize;
}

function columnAt(x: number, y: number): HTMLElement | undefined {
  return document.elementsFromPoint(x, y).find((el): el is HTMLElement => el instanceof HTMLElement && el.dataset['testid'] === 'calendar-column');
}

/** Stops the click that follows a drag's pointerup (it would open the visit card). */
function swallowNextClick(): void {
  const stop = (event: MouseEvent) => {
    event.stopPropagation();
    event.preventDefault();
  };
  window.addEventListener('click', stop, { capture: true, once: true });
  // A drop outside any element that gets a click leaves no click to swallow.
  setTimeout(() => window.removeEventListener('click', stop, { capture: true }), 0);
}

/**
 * Pointer handling for a grid's blocks; returns the grid root's onPointerDown. `pxPerMinute` and the grid's first
 * hour turn pointer travel into minutes; `onDrop` gets a drop that changed the time or the column.
 */
export function useBlockDrag(options: { enabled: boolean; pxPerMinute: number; fromHour: number; toHour: number; onDrop(drop: BlockDrop): void; onResize?(resize: BlockResize): void; onStart?(): void }) {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const active = useRef<Active | undefined>(undefined);

  useEffect(() => {
    const reset = (state: Active) => {
      state.element.style.transform = '';
      state.element.style.height = state.height;
      delete state.element.dataset['dragging'];
      delete state.element.dataset['dragLabel'];
      delete state.fromColumn.dataset['dragSource'];
    };
    const onMove = (event: PointerEvent) => {
      const state = active.current;
      if (!state || state.abandoned) return;
      const dx = event.clientX - state.x;
      const dy = event.clientY - state.y;
      if (!state.dragging) {
        if (Math.abs(dx) + Math.abs(dy) < DRAG_THRESHOLD) return;
        state.dragging = true;
        state.element.dataset['dragging'] = '';
        // The column lets the block out (calendar.css); said on the column itself, as a rule asking whether a column
        // holds a dragged block (:has) made every block added or removed at a day switch restyle its column.
        state.fromColumn.dataset['dragSource'] = '';
        latest.current.onStart?.();
      }
      const { pxPerMinute, fromHour, toHour } = latest.current;
      if (state.mode === 'resize') {
        const rawEnd = state.endMinutes + dy / pxPerMinute;
        const endMinutes = Math.min(Math.max(Math.round(rawEnd / SNAP_MINUTES) * SNAP_MINUTES, state.startMinutes + SNAP_MINUTES), toHour * 60);
        state.element.style.height = `${(endMinutes - state.startMinutes) * pxPerMinute - 2}px`;
        state.element.dataset['dragLabel'] = `–${minutesToHhmm(endMinutes % (24 * 60))}`;
        state.resize = { appointmentId: state.appointmentId, endMinutes };
        return;
      }
      const raw = state.startMinutes + dy / pxPerMinute;
      const startMinutes = Math.min(Math.max(Math.round(raw / SNAP_MINUTES) * SNAP_MINUTES, fromHour * 60), toHour * 60 - SNAP_MINUTES);
      const column = columnAt(event.clientX, event.clientY) ?? state.fromColumn;
      const shiftX = column.getBoundingClientRect().left - state.fromColumn.getBoundingClientRect().left;
      state.element.style.transform = `translate(${shiftX}px, ${(startMinutes - state.startMinutes) * pxPerMinute}px)`;
      state.element.dataset['dragLabel'] = minutesToHhmm(startMinutes);
      state.drop = { appointmentId: state.appointmentId, columnKey: column.dataset['column'] ?? '', startMinutes };
    };
    const onUp = () => {
      const state = active.current;
      active.current = undefined;
      if (!state?.dragging) return;
      reset(state);
      swallowNextClick();
      if (state.abandoned) return;
      if (state.mode === 'resize') {
        if (state.resize && state.resize.endMinutes !== state.endMinutes) latest.current.onResize?.(state.resize);
        return;
      }
      const drop = state.drop;
      if (drop && (drop.startMinutes !== state.startMinutes || drop.columnKey !== state.fromColumn.dataset['column'])) latest.current.onDrop(drop);
    };
    const onKey = (event: KeyboardEvent) => {
      const state = active.current;
      if (event.key !== 'Escape' || !state) return;
      if (!state.dragging) {
        active.current = undefined;
        return;
      }
      state.abandoned = true;
      reset(state);
      event.stopPropagation();
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('keydown', onKey, { capture: true });
    };
  }, []);

  return (event: ReactPointerEvent<HTMLElement>) => {
    if (!latest.current.enabled || event.button !== 0) return;
    const element = (event.target as HTMLElement).closest<HTMLElement>('.fd-block[data-draggable]');
    const fromColumn = element?.closest<HTMLElement>('[data-testid="calendar-column"]');
    const startMinutes = Number(element?.dataset['startMin']);
    const endMinutes = Number(element?.dataset['endMin']);
    if (!element || !fromColumn || !Number.isFinite(startMinutes)) return;
    // The bottom edge (its ::before in calendar.css, a pseudo-element rather than one more element per block).
    const onEdge = element.hasAttribute('data-resizable') && event.clientY >= element.getBoundingClientRect().bottom - RESIZE_EDGE_PX;
    const resizing = onEdge && Number.isFinite(endMinutes) && latest.current.onResize !== undefined;
    active.current = {
      mode: resizing ? 'resize' : 'move',
      element,
      appointmentId: element.dataset['appointmentId'] ?? '',
      fromColumn,
      startMinutes,
      endMinutes,
      height: element.style.height,
      x: event.clientX,
      y: event.clientY,
      dragging: false,
    };
  };
}

/** Alt + arrow on a focused block: minutes to shift the start and columns to shift sideways. */
const KEY_STEPS: Readonly<Record<string, readonly [columns: number, minutes: number]>> = {
  ArrowUp: [0, -SNAP_MINUTES],
  ArrowDown: [0, SNAP_MINUTES],
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
};

/**
 * The keyboard way to drag: on a focused visit block, Alt+↑/↓ moves it 15 minutes earlier or later and Alt+←/→ to the
 * neighbouring specialist's column (`columnKeys`, in screen order; the "other staff" column is no specialist);
 * Alt+Shift+↑/↓ makes it 15 minutes shorter or longer. The move goes to `onDrop`, the length to `onResize` — the same
 * confirmations as a drag — and nothing is written until it is confirmed.
 */
export function keyboardDrop(
  event: ReactKeyboardEvent<HTMLElement>,
  columnKeys: readonly string[],
  hours: { fromHour: number; toHour: number },
  onDrop: (drop: BlockDrop) => void,
  onResize?: (resize: BlockResize) => void,
): void {
  const step = KEY_STEPS[event.key];
  if (!step || !event.altKey || event.ctrlKey || event.metaKey || (event.shiftKey && step[0] !== 0)) return;
  const element = (event.target as HTMLElement).closest<HTMLElement>('.fd-block[data-draggable]');
  const columnKey = element?.closest<HTMLElement>('[data-testid="calendar-column"]')?.dataset['column'];
  const from = Number(element?.dataset['startMin']);
  if (!element || columnKey === undefined || !Number.isFinite(from)) return;
  // Alt+← is the browser's Back: the block takes the key.
  event.preventDefault();
  event.stopPropagation();
  const appointmentId = element.dataset['appointmentId'] ?? '';
  if (event.shiftKey) {
    const end = Number(element.dataset['endMin']);
    const endMinutes = end + step[1];
    if (onResize && Number.isFinite(end) && endMinutes >= from + SNAP_MINUTES && endMinutes <= hours.toHour * 60) onResize({ appointmentId, endMinutes });
    return;
  }
  const specialists = columnKeys.filter((key) => key !== 'other');
  const index = specialists.indexOf(columnKey);
  const target = step[0] === 0 ? columnKey : specialists[index + step[0]];
  const startMinutes = from + step[1];
  if (target === undefined || (step[0] !== 0 && index < 0)) return;
  if (startMinutes < hours.fromHour * 60 || startMinutes > hours.toHour * 60 - SNAP_MINUTES) return;
  onDrop({ appointmentId, columnKey: target, startMinutes });
}
