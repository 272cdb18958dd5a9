export { DEMO_SEED, generateDemoSalon } from './demo-salon.ts';
export type { DemoOptions, DemoSalon } from './demo-salon.ts';
export { DatabaseNotEmptyError, loadDemoSalon } from './load-demo-salon.ts';
export type { DemoLoadResult } from './load-demo-salon.ts';
export { defaultNotificationSettings } from './default-settings.ts';
export type { TemplateSource } from './default-settings.ts';
export { DEMO_LOCATION_ID } from './demo-catalog.ts';
export { createRandom } from './prng.ts';
export type { Random } from './prng.ts';
