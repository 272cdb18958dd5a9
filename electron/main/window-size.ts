/**
 * The main window's size for the display it opens on. Many desks are 1366×768 laptops at Windows' 125–150 % scaling,
 * whose work area (without the taskbar) is about 1093×582 or 911×480 in the window's pixels: a fixed 1280×820 window
 * with a 960×600 minimum would not fit there, its bottom (a dialog's buttons, the calendar's evening) under the
 * taskbar. The app is laid out for 800×480 and up (a navigation rail below 1200 px, dialogs whose buttons stay in
 * view), so that is the minimum, never more than the work area.
 */
export interface Size {
  width: number;
  height: number;
}

export interface WindowSize extends Size {
  minWidth: number;
  minHeight: number;
}

const PREFERRED: Size = { width: 1280, height: 820 };
const MINIMUM: Size = { width: 800, height: 480 };

export function mainWindowSize(workArea: Size): WindowSize {
  return {
    width: Math.min(PREFERRED.width, workArea.width),
    height: Math.min(PREFERRED.height, workArea.height),
    minWidth: Math.min(MINIMUM.width, workArea.width),
    minHeight: Math.min(MINIMUM.height, workArea.height),
  };
}
