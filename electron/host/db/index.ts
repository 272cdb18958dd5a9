export { NewerDatabaseError, openFrontDeskDatabase } from './open-database.ts';
export type { OpenDatabaseOptions } from './open-database.ts';
export {
  DocumentValidationError,
  toDocumentValidationError,
  validationIssuesOf,
  validationMessage,
} from '../../../shared/domain/validation-errors.ts';
export { DatabaseNotEmptyError, loadDemoSalon } from '../../../shared/demo/load-demo-salon.ts';
