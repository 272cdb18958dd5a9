import { describe, expect, it } from 'vitest';
import { mainWindowSize } from '../../../electron/main/window-size.ts';

describe('main window size', () => {
  it('opens at 1280×820 on a large display, and may be made as small as 800×480', () => {
    expect(mainWindowSize({ width: 1920, height: 1040 })).toEqual({ width: 1280, height: 820, minWidth: 800, minHeight: 480 });
  });

  it('fits the work area of a 1366×768 laptop at 125 % and 150 % scaling (taskbar left out)', () => {
    expect(mainWindowSize({ width: 1093, height: 582 })).toEqual({ width: 1093, height: 582, minWidth: 800, minHeight: 480 });
    const at150 = mainWindowSize({ width: 911, height: 480 });
    expect(at150).toEqual({ width: 911, height: 480, minWidth: 800, minHeight: 480 });
  });

  it('never asks for a minimum larger than the work area', () => {
    expect(mainWindowSize({ width: 700, height: 400 })).toEqual({ width: 700, height: 400, minWidth: 700, minHeight: 400 });
  });
});
