/**
 * Settings edits made on this desk carry the desk's name and the time (sync: the newest edit wins, and the settings
 * screen says whose it is). RxDB hooks run on local writes through the collection only — documents that arrive by
 * replication keep the stamp of the desk that made them.
 */
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { Clock } from '../../../shared/time/clock.ts';

export function stampLocalEdits(db: FrontDeskDatabase, deskName: () => string, clock: Clock): void {
  const stamp = (data: { updatedAt?: string; updatedBy?: string }) => {
    data.updatedBy = deskName().slice(0, 120);
    data.updatedAt = new Date(clock.now()).toISOString();
  };
  for (const collection of [db.notification_settings, db.locations]) {
    collection.preInsert(stamp as never, false);
    collection.preSave(stamp as never, false);
  }
}
