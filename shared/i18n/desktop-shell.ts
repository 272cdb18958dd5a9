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
  /** The last-resort dialog when the app's own process hits an error it cannot continue from; `{detail}`: the error. */
  internalError: string;
  /** Menu titles, and for languages Electron does not label itself, each role's label. */
  menus: { file: string; edit: string; view: string; window: string };
  roles?: Readonly<Record<string, string>>;
}

export const SHELL_LABELS: Readonly<Record<ShellLanguage, ShellLabels>> = {
  en: {
    trayOpen: 'Open FrontDesk',
    trayQuit: 'Quit',
    internalError:
      'FrontDesk hit an internal error it cannot safely continue from and is stopping. Every change saved before this is safe on disk. Start FrontDesk again; if this happens again, report this message.\n\n{detail}',
    menus: { file: 'File', edit: 'Edit', view: 'View', window: 'Window' },
  },
  ru: {
    trayOpen: 'Открыть FrontDesk',
    trayQuit: 'Выйти',
    internalError:
      'В FrontDesk произошла внутренняя ошибка, после которой работать дальше небезопасно, и он закрывается. Всё, что было сохранено до этого, цело на диске. Запустите FrontDesk снова; если это повторится, сообщите этот текст.\n\n{detail}',
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

/** The last-resort dialog's text in `language`, with the error's own words. */
export function internalErrorText(language: ShellLanguage, detail: string): string {
  return SHELL_LABELS[language].internalError.replace('{detail}', () => detail);
}
