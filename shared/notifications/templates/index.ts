export * from './syntax.ts';
export * from './placeholders.ts';
export * from './render.ts';
export * from './validate.ts';
export * from './sms.ts';
export * from './defaults.ts';
export type { ClientTypeTexts, TeamEventTexts } from './default-texts.ts';
