/**
 * The Electron-only pieces that decide what a packaged app exposes, tested as plain data in Node (no Electron binary
 * here): the menu has no DevTools, reload or force-reload when packaged, and the dev-server URL is ignored.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, isDeveloperRole, menuRoles } from '../../../electron/main/app-menu.ts';
import { devServerUrl } from '../../../electron/main/dev-server.ts';

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('has no developer items when packaged (%s)', (platform) => {
    const roles = menuRoles(appMenuTemplate({ packaged: true, platform, appName: 'FrontDesk' }));
    expect(roles.filter(isDeveloperRole)).toEqual([]);
    expect(roles).toEqual(expect.arrayContaining(['quit', 'copy', 'paste', 'undo', 'zoomIn', 'minimize']));
  });

  it.each(['linux', 'win32', 'darwin'] as const)('names every menu and item in Russian on a Russian system (%s)', (platform) => {
    const unlabelled: string[] = [];
    const walk = (items: MenuItemConstructorOptions[]) => {
      for (const item of items) {
        if (item.type === 'separator') continue;
        if (!item.label || !/[А-Яа-яЁё]|^FrontDesk$/.test(item.label)) unlabelled.push(item.role ?? item.label ?? '?');
        if (Array.isArray(item.submenu)) walk(item.submenu);
      }
    };
    walk(appMenuTemplate({ packaged: false, platform, appName: 'FrontDesk', language: 'ru' }));
    expect(unlabelled).toEqual([]);
  });

  it('keeps Electron’s own labels in English', () => {
    const template = appMenuTemplate({ packaged: true, platform: 'win32', appName: 'FrontDesk', language: 'en' });
    expect(template.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Window']);
    expect(JSON.stringify(template)).not.toContain('"label":"Undo"');
  });

  it('adds DevTools and reloads in a development build', () => {
    const roles = menuRoles(appMenuTemplate({ packaged: false, platform: 'linux', appName: 'FrontDesk' }));
    expect(roles.filter(isDeveloperRole).sort()).toEqual(['forceReload', 'reload', 'toggleDevTools']);
  });
});

describe('dev-server URL', () => {
  it('is ignored by a packaged app', () => {
    expect(devServerUrl(true, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBeUndefined();
  });

  it('is used by a development build when it points at this computer', () => {
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBe('http://localhost:5173/');
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' })).toBe('http://127.0.0.1:5173/');
    expect(devServerUrl(false, {})).toBeUndefined();
  });

  it('refuses anything but http(s) on loopback, even in development', () => {
    for (const value of ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'http://192.168.1.5:5173']) {
      expect(devServerUrl(false, { ELECTRON_RENDERER_URL: value }), value).toBeUndefined();
    }
  });
});
