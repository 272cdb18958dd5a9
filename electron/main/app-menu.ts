/**
 * The application menu. A packaged app has no DevTools, no force-reload and no dev-server: its menu offers only what
 * a front desk needs (edit, zoom, full screen, window). A development build adds the developer items.
 * Type-only Electron import: the template is plain data, tested in plain Node.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { SHELL_LABELS, type ShellLanguage } from '../../shared/i18n/desktop-shell.ts';

const DEVELOPER_ROLES = new Set(['toggleDevTools', 'forceReload', 'reload']);

export function appMenuTemplate(options: { packaged: boolean; platform: NodeJS.Platform; appName: string; language?: ShellLanguage }): MenuItemConstructorOptions[] {
  const labels = SHELL_LABELS[options.language ?? 'en'];
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
      : [{ label: labels.menus.file, submenu: [{ role: 'quit' }] } as MenuItemConstructorOptions]),
    { label: labels.menus.edit, submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: labels.menus.view, submenu: view },
    { label: labels.menus.window, submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
  return labels.roles ? withRoleLabels(template, labels.roles) : template;
}

/** Each role item labelled in the language (submenus included); an item without a label there keeps Electron's. */
function withRoleLabels(template: MenuItemConstructorOptions[], roles: Readonly<Record<string, string>>): MenuItemConstructorOptions[] {
  return template.map((item) => {
    const label = item.role ? roles[item.role] : undefined;
    const submenu = Array.isArray(item.submenu) ? withRoleLabels(item.submenu, roles) : item.submenu;
    return { ...item, ...(label ? { label } : {}), ...(submenu ? { submenu } : {}) };
  });
}

/** Every role in a template, submenus included (what a test checks the packaged menu against). */
export function menuRoles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? menuRoles(item.submenu) : [])]);
}

export function isDeveloperRole(role: string): boolean {
  return DEVELOPER_ROLES.has(role);
}
