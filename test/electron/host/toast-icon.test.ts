import { describe, expect, it } from 'vitest';
import { toastIconIn } from '../../../electron/host/toast-icon.ts';

describe('the desktop toasts’ icon', () => {
  it('is the built renderer’s favicon', () => {
    expect(toastIconIn('/opt/frontdesk/out/renderer')).toBe('/opt/frontdesk/out/renderer/favicon.png');
  });

  it('comes from the unpacked copy when the app runs from its asar archive', () => {
    expect(toastIconIn('/opt/FrontDesk/resources/app.asar/out/renderer')).toBe('/opt/FrontDesk/resources/app.asar.unpacked/out/renderer/favicon.png');
  });

  it('leaves a folder that only looks like the archive alone', () => {
    expect(toastIconIn('/home/anna/app.asar-notes/out/renderer')).toBe('/home/anna/app.asar-notes/out/renderer/favicon.png');
  });
});
