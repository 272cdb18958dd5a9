/**
 * Why the host could not start, in the words of the desk's language. Two places say it: the desktop app's error dialog
 * (electron/main, in the system's language, before any page can) and a page that was already open (renderer, as
 * `error.<reason>` in its tables, merged from here). One table for both, so the dialog and the page never disagree.
 * Placeholders are `{name}`, as in renderer/src/i18n/*.json; test/renderer/i18n.test.ts checks them per language.
 */

export const START_FAILURE_REASONS = [
  'hostStart.dataFolderInUse',
  'hostStart.dataFolderBusy',
  'hostStart.dataFolderNotAFolder',
  'hostStart.dataFolderNotWritable',
  'hostStart.dataFolderDiskFull',
  'hostStart.dataFolderReadOnly',
  'hostStart.newerDatabase',
  'hostStart.databaseDamaged',
  'hostStart.databaseNotWritable',
  'hostStart.databaseNotOurs',
  'hostStart.databaseMissing',
  'hostStart.databaseEmpty',
  'hostStart.unexpected',
  'hostStart.crashedRepeatedly',
] as const;
export type StartFailureReason = (typeof START_FAILURE_REASONS)[number];

export type StartFailureLanguage = 'en' | 'ru';

/** What the host says when its start fails: the English text for logs and terminals, and the reason to translate. */
export interface StartFailure {
  readonly message: string;
  readonly reason: StartFailureReason;
  readonly params: Readonly<Record<string, string | number>>;
}

export const START_FAILURE_TITLE: Readonly<Record<StartFailureLanguage, string>> = {
  en: 'FrontDesk could not start',
  ru: 'Не удалось запустить FrontDesk',
};

export const START_FAILURE_TEXTS: Readonly<Record<StartFailureLanguage, Readonly<Record<StartFailureReason, string>>>> = {
  en: {
    'hostStart.dataFolderInUse':
      'The data folder {dataDir} is in use by another FrontDesk (process {pid} on {hostname}, running since {since}). Only one FrontDesk may run on a data folder at a time: switch to the one that is running, or quit it first.',
    'hostStart.dataFolderBusy':
      'The data folder {dataDir} is in use by another FrontDesk that is just starting or stopping. Wait a moment and start FrontDesk again.',
    'hostStart.dataFolderNotAFolder': 'The data folder {dataDir} is not a folder. Choose another data folder.',
    'hostStart.dataFolderNotWritable':
      'The data folder {dataDir} is not writable. Nothing was changed. Fix its permissions so that your user can write it, or choose another data folder.',
    'hostStart.dataFolderDiskFull':
      'The disk that holds the data folder {dataDir} is full. Nothing was changed. Free some space on it, then start FrontDesk again.',
    'hostStart.dataFolderReadOnly':
      'The data folder {dataDir} is on a read-only disk or network share. Nothing was changed. Check the disk or share (it may need to be connected again, or checked for errors), then start FrontDesk again.',
    'hostStart.newerDatabase':
      'This data folder was last used by a newer FrontDesk: its {collection} are stored in format {storedVersion}, and this FrontDesk reads up to format {knownVersion}. Nothing was changed. Install the newer FrontDesk to open this folder.',
    'hostStart.databaseDamaged':
      'The database {filePath} is damaged ({detail}). FrontDesk did not change it. Quit FrontDesk and restore the data folder from your last backup.',
    'hostStart.databaseNotWritable':
      'FrontDesk cannot write to {filePath} ({detail}). Nothing was changed. Fix its permissions so that your user can read and write it, then start FrontDesk again.',
    'hostStart.databaseNotOurs':
      'The file {filePath} is a database of another program ({detail}), not FrontDesk\'s. FrontDesk did not change it. Move it out of the data folder (or restore the folder from your last backup), or choose another data folder.',
    'hostStart.databaseMissing':
      'The database {filePath} is missing, but this data folder held a salon. FrontDesk did not change anything. Restore the data folder from your last backup; to start over with an empty salon, move this folder aside.',
    'hostStart.databaseEmpty':
      'The database {filePath} is empty, but this data folder held a salon. FrontDesk did not change anything. Restore the data folder from your last backup; to start over with an empty salon, move this folder aside.',
    'hostStart.unexpected':
      'FrontDesk could not start ({detail}). Start it again; if this repeats, send this text to whoever supports your FrontDesk.',
    'hostStart.crashedRepeatedly':
      'FrontDesk’s background service stopped unexpectedly several times in a row and was not started again ({detail}). Everything saved is safe on disk. Start FrontDesk again; if this repeats, send this text to whoever supports your FrontDesk.',
  },
  ru: {
    'hostStart.dataFolderInUse':
      'Папкой данных {dataDir} уже пользуется другой FrontDesk (процесс {pid} на {hostname}, запущен {since}). С одной папкой данных может работать только один FrontDesk: перейдите в запущенный или сначала закройте его.',
    'hostStart.dataFolderBusy':
      'Папкой данных {dataDir} пользуется другой FrontDesk, который как раз запускается или закрывается. Подождите немного и запустите FrontDesk снова.',
    'hostStart.dataFolderNotAFolder': 'Путь к папке данных {dataDir} ведёт не к папке. Выберите другую папку данных.',
    'hostStart.dataFolderNotWritable':
      'В папку данных {dataDir} нельзя записывать. Ничего не изменено. Исправьте права доступа, чтобы ваш пользователь мог в неё записывать, или выберите другую папку данных.',
    'hostStart.dataFolderDiskFull':
      'Диск с папкой данных {dataDir} заполнен. Ничего не изменено. Освободите на нём место и запустите FrontDesk снова.',
    'hostStart.dataFolderReadOnly':
      'Папка данных {dataDir} лежит на диске или в сетевой папке, доступной только для чтения. Ничего не изменено. Проверьте диск или сетевую папку (возможно, её нужно подключить заново или проверить на ошибки) и запустите FrontDesk снова.',
    'hostStart.newerDatabase':
      'Эта папка данных в последний раз открывалась более новой версией FrontDesk: данные «{collection}» записаны в формате {storedVersion}, а эта версия читает форматы до {knownVersion}. Ничего не изменено. Установите новую версию FrontDesk, чтобы открыть эту папку.',
    'hostStart.databaseDamaged':
      'База данных {filePath} повреждена ({detail}). FrontDesk её не изменял. Закройте FrontDesk и восстановите папку данных из последней резервной копии.',
    'hostStart.databaseNotWritable':
      'FrontDesk не может записывать в {filePath} ({detail}). Ничего не изменено. Исправьте права доступа, чтобы ваш пользователь мог читать и записывать этот файл, и запустите FrontDesk снова.',
    'hostStart.databaseNotOurs':
      'Файл {filePath} — база данных другой программы ({detail}), а не FrontDesk. FrontDesk его не изменял. Уберите его из папки данных (или восстановите папку из последней резервной копии) либо выберите другую папку данных.',
    'hostStart.databaseMissing':
      'Базы данных {filePath} нет, хотя в этой папке данных был салон. FrontDesk ничего не изменял. Восстановите папку данных из последней резервной копии; чтобы начать с пустого салона, переместите эту папку в другое место.',
    'hostStart.databaseEmpty':
      'База данных {filePath} пуста, хотя в этой папке данных был салон. FrontDesk ничего не изменял. Восстановите папку данных из последней резервной копии; чтобы начать с пустого салона, переместите эту папку в другое место.',
    'hostStart.unexpected':
      'Не удалось запустить FrontDesk ({detail}). Запустите его снова; если это повторится, отправьте этот текст тому, кто обслуживает ваш FrontDesk.',
    'hostStart.crashedRepeatedly':
      'Фоновая служба FrontDesk несколько раз подряд неожиданно остановилась и больше не запускалась ({detail}). Всё сохранённое цело на диске. Запустите FrontDesk снова; если это повторится, отправьте этот текст тому, кто обслуживает ваш FrontDesk.',
  },
};

/** The language of a system locale such as `ru-RU` or `en-GB`: Russian for Russian, English otherwise. */
export function startFailureLanguage(locale: string): StartFailureLanguage {
  return locale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The failure in `language`; placeholders without a parameter stay as they are (a text never loses its sense). */
export function startFailureText(language: StartFailureLanguage, failure: Pick<StartFailure, 'reason' | 'params'>): string {
  const text = START_FAILURE_TEXTS[language][failure.reason] ?? START_FAILURE_TEXTS[language]['hostStart.unexpected'];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in failure.params ? String(failure.params[name]) : whole));
}

function isStartFailure(value: unknown): value is StartFailure {
  const candidate = value as Partial<StartFailure> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.reason === 'string' && typeof candidate.params === 'object' && candidate.params !== null;
}

/**
 * The desktop app's error dialog for a start that failed, in the system's language: a host's refusal (a StartFailure,
 * or an error carrying one as `failure`) by its reason; anything else — said before a host was there — as it is.
 */
export function startFailureDialog(error: unknown, locale: string): { title: string; text: string } {
  const language = startFailureLanguage(locale);
  const failure = isStartFailure(error) ? error : isStartFailure((error as { failure?: unknown } | null)?.failure) ? (error as { failure: StartFailure }).failure : undefined;
  const text = failure ? startFailureText(language, failure) : error instanceof Error ? error.message : String(error);
  return { title: START_FAILURE_TITLE[language], text };
}
