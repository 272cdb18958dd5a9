/**
 * Default Russian texts. Names are kept in the nominative ("мастер {{specialist}}") because placeholders cannot
 * decline; sentences are built so that reads naturally. Russian SMS are UCS-2 (70 characters a segment), so they
 * are kept to the essentials.
 */
import type { ClientDefaults, TeamDefaults } from './default-texts.ts';

const SIGN = '\n\n{{salonName}}';

export const CLIENT_DEFAULTS_RU: ClientDefaults = {
  bookingConfirmation: {
    email: {
      subject: 'Запись в {{salonName}} на {{date}}',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nВы записаны.\n\nКогда: {{date}}, {{time}}\nУслуги: {{services}}\n' +
        'Мастер: {{specialist}}\nГде: {{salonName}}, {{salonAddress}}\n\n' +
        'Чтобы перенести или отменить запись, позвоните нам: {{salonPhone}}.\n\nДо встречи!' + SIGN,
    },
    push: { title: 'Вы записаны', body: '{{date}}, {{time}}: {{services}}, мастер {{specialist}}, {{salonName}}.' },
    sms: '{{salonName}}: вы записаны на {{date}} в {{time}}, мастер {{specialist}}. Тел. {{salonPhone}}',
  },
  reminder: {
    email: {
      subject: 'Напоминание: {{services}}, {{date}} в {{time}}',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nНапоминаем о вашей записи в {{salonName}}:\n\n' +
        'Когда: {{date}}, {{time}}\nУслуги: {{services}}\nМастер: {{specialist}}\nАдрес: {{salonAddress}}\n\n' +
        'Если не сможете прийти, пожалуйста, сообщите нам: {{salonPhone}}.' + SIGN,
    },
    push: { title: 'Ждём вас', body: 'Напоминаем: {{services}}, мастер {{specialist}}, {{date}} в {{time}}, {{salonName}}.' },
    sms: '{{salonName}}: ждём вас {{date}} в {{time}}, мастер {{specialist}}. Не сможете прийти? {{salonPhone}}',
  },
  changeAlert: {
    email: {
      subject: 'Ваша запись изменена: {{date}} в {{time}}',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nВаша запись в {{salonName}} изменена. Актуальные данные:\n\n' +
        'Когда: {{date}}, {{time}}\nУслуги: {{services}}\nМастер: {{specialist}}\nАдрес: {{salonAddress}}\n\n' +
        'До изменения: {{oldDateTime}}, {{oldServices}}, мастер {{oldSpecialist}}.\n\n' +
        'Если вам неудобно, позвоните нам: {{salonPhone}}.' + SIGN,
    },
    push: { title: 'Запись изменена', body: 'Теперь: {{date}}, {{time}}, {{services}}, мастер {{specialist}}, {{salonName}}.' },
    sms: '{{salonName}}: запись изменена. Теперь {{date}} в {{time}}, мастер {{specialist}}. Тел. {{salonPhone}}',
  },
  cancellationNotice: {
    email: {
      subject: 'Запись на {{date}} отменена',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nВаша запись в {{salonName}} на {{date}}, {{time}} ({{services}}) отменена.\n\n' +
        'Записаться снова можно по телефону {{salonPhone}}.' + SIGN,
    },
    push: { title: 'Запись отменена', body: 'Ваша запись на {{date}}, {{time}} в {{salonName}} отменена.' },
    sms: '{{salonName}}: запись на {{date}} в {{time}} отменена. Записаться снова: {{salonPhone}}',
  },
  winBack: {
    email: {
      subject: 'Мы скучаем по вам, {{clientFirstName}}',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nЖаль, что мы давно не виделись. Будем рады снова видеть вас в {{salonName}}.\n\n' +
        'Позвоните нам по телефону {{salonPhone}}, чтобы выбрать удобное время.' + SIGN,
    },
    push: { title: 'Мы скучаем', body: 'Запишитесь снова в {{salonName}}: {{salonPhone}}.' },
    sms: '{{salonName}}: {{clientFirstName}}, мы скучаем! Запишитесь в удобное время: {{salonPhone}}',
  },
  reviewRequest: {
    email: {
      subject: 'Как прошёл ваш визит в {{salonName}}?',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nСпасибо, что выбрали {{salonName}}. Как вам {{services}}? Мастер: {{specialist}}.\n\n' +
        'Оцените визит за пару секунд: {{reviewLink}}' + SIGN,
    },
    push: { title: 'Как прошёл визит?', body: 'Оцените работу мастера {{specialist}}: {{reviewLink}}' },
    sms: '{{salonName}}: спасибо за визит! Оцените работу мастера: {{reviewLink}}',
  },
  birthdayGreeting: {
    email: {
      subject: 'С днём рождения, {{clientFirstName}}!',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nВся команда {{salonName}} поздравляет вас с днём рождения!\n\n' +
        'Подготовьтесь к празднику вместе с нами: запишитесь по телефону {{salonPhone}}.' + SIGN,
    },
    push: { title: 'С днём рождения!', body: '{{clientFirstName}}, {{salonName}} поздравляет вас с днём рождения!' },
    sms: '{{clientFirstName}}, с днём рождения! {{salonName}}. Запись: {{salonPhone}}',
  },
  bonusAccrual: {
    email: {
      subject: 'Начислено бонусов: {{bonusAmount}}',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nНа ваш счёт в {{salonName}} начислено бонусов: {{bonusAmount}}. ' +
        'Баланс: {{bonusBalance}}.' + SIGN,
    },
    push: { title: 'Бонусы начислены', body: 'Начислено бонусов: {{bonusAmount}}. Баланс: {{bonusBalance}}. {{salonName}}' },
    sms: '{{salonName}}: начислено бонусов: {{bonusAmount}}. Баланс: {{bonusBalance}}',
  },
  expiringDiscount: {
    email: {
      subject: 'Скидка «{{discountName}}» действует до {{discountExpiry}}',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nНапоминаем: ваша скидка «{{discountName}}» ({{discountValue}}) в {{salonName}} ' +
        'действует до {{discountExpiry}}.\n\nЗапишитесь по телефону {{salonPhone}}, чтобы успеть ею воспользоваться.' + SIGN,
    },
    push: { title: 'Скидка скоро закончится', body: '«{{discountName}}» ({{discountValue}}) действует до {{discountExpiry}}.' },
    sms: '{{salonName}}: скидка «{{discountName}}» ({{discountValue}}) действует до {{discountExpiry}}. Запись: {{salonPhone}}',
  },
  repeatVisit: {
    email: {
      subject: 'Пора повторить: {{services}}',
      body:
        'Здравствуйте, {{clientFirstName}}!\n\nВаш последний визит в {{salonName}} ({{services}}) был {{date}}. Пора записаться снова?\n\n' +
        'Позвоните нам: {{salonPhone}}. Мастер {{specialist}} или любой мастер нашей команды будут рады вас видеть.' + SIGN,
    },
    push: { title: 'Пора на повторный визит', body: 'Запишитесь снова ({{services}}) в {{salonName}}: {{salonPhone}}.' },
    sms: '{{salonName}}: пора повторить ({{services}})? Запись: {{salonPhone}}',
  },
};

export const TEAM_DEFAULTS_RU: TeamDefaults = {
  newBooking: { title: 'Новая запись: {{clientName}}', body: '{{date}}, {{time}}, {{services}}, мастер {{specialist}}' },
  reschedule: {
    title: 'Перенос: {{clientName}}',
    body: 'Теперь {{date}}, {{time}}, мастер {{specialist}} (было {{oldDate}}, {{oldTime}}, мастер {{oldSpecialist}}), {{services}}',
  },
  cancellation: { title: 'Отмена: {{clientName}}', body: '{{date}}, {{time}}, {{services}}, мастер {{specialist}}' },
  qrPayment: { title: 'Оплата по QR-коду', body: '{{clientName}}: {{paymentAmount}}' },
  incomingCall: { title: 'Входящий звонок', body: '{{callerPhone}}' },
};
