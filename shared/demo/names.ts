/** Name pools for demo clients: a Berlin salon with English/German-speaking and Russian-speaking clients. */

export const EN_FIRST_NAMES_F: readonly string[] = [
  'Anna', 'Sophie', 'Marie', 'Laura', 'Julia', 'Lea', 'Hannah', 'Emma', 'Lena', 'Sarah', 'Katharina', 'Lisa',
  'Charlotte', 'Clara', 'Emily', 'Mia', 'Johanna', 'Paula', 'Nina', 'Jessica', 'Olivia', 'Amelia', 'Grace',
  'Chloe', 'Isabel', 'Franziska', 'Theresa', 'Miriam', 'Helena', 'Victoria',
] as const;
export const EN_FIRST_NAMES_M: readonly string[] = [
  'Lukas', 'Jonas', 'Felix', 'Leon', 'Paul', 'Maximilian', 'Daniel', 'Thomas', 'Oliver', 'James', 'David',
  'Sebastian', 'Tobias', 'Florian', 'Noah',
] as const;
export const EN_LAST_NAMES: readonly string[] = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
  'Koch', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Braun', 'Zimmermann', 'Krüger',
  'Hartmann', 'Lange', 'Werner', 'Smith', 'Brown', 'Taylor', 'Wilson', 'Evans', 'Walker', 'Moore',
] as const;

/** Russian names with a Latin transliteration for e-mail addresses. */
export const RU_FIRST_NAMES_F: readonly (readonly [string, string])[] = [
  ['Анна', 'anna'], ['Мария', 'maria'], ['Елена', 'elena'], ['Ольга', 'olga'], ['Наталья', 'natalia'],
  ['Татьяна', 'tatiana'], ['Ирина', 'irina'], ['Екатерина', 'ekaterina'], ['Светлана', 'svetlana'],
  ['Юлия', 'yulia'], ['Дарья', 'daria'], ['Ксения', 'ksenia'], ['Алина', 'alina'], ['Виктория', 'viktoria'],
  ['Полина', 'polina'], ['Анастасия', 'anastasia'],
] as const;
export const RU_FIRST_NAMES_M: readonly (readonly [string, string])[] = [
  ['Алексей', 'alexey'], ['Дмитрий', 'dmitry'], ['Сергей', 'sergey'], ['Андрей', 'andrey'], ['Иван', 'ivan'],
  ['Михаил', 'mikhail'],
] as const;
/** Feminine and masculine forms of each surname. */
export const RU_LAST_NAMES: readonly (readonly [string, string, string])[] = [
  ['Иванова', 'Иванов', 'ivanov'], ['Смирнова', 'Смирнов', 'smirnov'], ['Кузнецова', 'Кузнецов', 'kuznetsov'],
  ['Попова', 'Попов', 'popov'], ['Васильева', 'Васильев', 'vasiliev'], ['Петрова', 'Петров', 'petrov'],
  ['Соколова', 'Соколов', 'sokolov'], ['Михайлова', 'Михайлов', 'mikhailov'], ['Новикова', 'Новиков', 'novikov'],
  ['Фёдорова', 'Фёдоров', 'fedorov'], ['Морозова', 'Морозов', 'morozov'], ['Волкова', 'Волков', 'volkov'],
  ['Лебедева', 'Лебедев', 'lebedev'], ['Козлова', 'Козлов', 'kozlov'], ['Орлова', 'Орлов', 'orlov'],
] as const;

/** Reserved example domains (RFC 2606): demo addresses can never reach a real mailbox. */
export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

const ASCII: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

export function asciiLower(s: string): string {
  return s
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => ASCII[c] ?? c)
    .replace(/[^a-z0-9]/g, '');
}
