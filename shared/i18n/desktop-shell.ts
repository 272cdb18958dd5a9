/**
 * The desktop app's own words outside the page — the tray's menu and the application menu — in the system's language
 * (main has no page to ask; the desk's own choice lives in the renderer). English menu items keep Electron's role
 * labels, which macOS also localizes; the other languages name every item, since Windows and Linux would show English.
 */
import { startFailureLanguage, type StartFailureLanguage } from './start-failure.ts';

export type ShellLanguage = StartFailureLanguage;

export const shellLanguage: (locale: string) => ShellLanguage = startFailureLanguage;

export interface ShellLabels {
  trayOpen: string;
  trayQuit: string;
  /** Menu titles, and for languages Electron does not label itself, each role's label. */
  menus: { file: string; edit: string; view: string; window: string };
  roles?: Readonly<Record<string, string>>;
}

export const SHELL_LABELS: Readonly<Record<ShellLanguage, ShellLabels>> = {
  en: {
    trayOpen: 'Open FrontDesk',
    trayQuit: 'Quit',
    menus: { file: 'File', edit: 'Edit', view: 'View', window: 'Window' },
  },
  ru: {
    trayOpen: 'Открыть FrontDesk',
    trayQuit: 'Выйти',
    menus: { file: 'Файл', edit: 'Правка', view: 'Вид', window: 'Окно' },
    roles: {
      quit: 'Выйти',
      undo: 'Отменить',
      redo: 'Повторить',
      cut: 'Вырезать',
      copy: 'Копировать',
      paste: 'Вставить',
      selectAll: 'Выделить всё',
      resetZoom: 'Обычный размер',
      zoomIn: 'Увеличить',
      zoomOut: 'Уменьшить',
      togglefullscreen: 'Во весь экран',
      minimize: 'Свернуть',
      close: 'Закрыть окно',
      about: 'О программе FrontDesk',
      hide: 'Скрыть FrontDesk',
      hideOthers: 'Скрыть остальные',
      unhide: 'Показать все',
      reload: 'Перезагрузить',
      forceReload: 'Перезагрузить без кэша',
      toggleDevTools: 'Инструменты разработчика',
    },
  },
};
