/**
 * The application menu. A packaged app has no DevTools, no force-reload and no dev-server: its menu offers only what
 * a front desk needs (edit, zoom, full screen, window). A development build adds the developer items.
 * Type-only Electron import: the template is plain data, tested in plain Node.
 */
import type { MenuItemConstructorOptions } from 'electron';

const DEVELOPER_ROLES = new Set(['toggleDevTools', 'forceReload', 'reload']);

export function appMenuTemplate(options: { packaged: boolean; platform: NodeJS.Platform; appName: string }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (!options.packaged) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' });
  const template: MenuItemConstructorOptions[] = [
    ...(options.platform === 'darwin'
      ? [{ label: options.appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions]
      : [{ label: 'File', submenu: [{ role: 'quit' }] } as MenuItemConstructorOptions]),
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'View', submenu: view },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
  return template;
}

/** Every role in a template, submenus included (what a test checks the packaged menu against). */
export function menuRoles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? menuRoles(item.submenu) : [])]);
}

export function isDeveloperRole(role: string): boolean {
  return DEVELOPER_ROLES.has(role);
}
