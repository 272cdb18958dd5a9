/** Schema parts every command shares: ids, revisions, local dates and times. Bounded, so parsing is cheap. */
import { z } from 'zod';

export const id = z.string().min(1).max(128);

/**
 * The database revision of the document the desk edited (RxDB `_rev`, "<height>-<hash>"). A command refuses with
 * `conflict` when the document changed since, so two desks never overwrite each other's edits unseen.
 */
export const revision = z.string().regex(/^\d{1,12}-[A-Za-z0-9_]{1,64}$/, 'expected a document revision');

/**
 * A local date and time in the location's zone, as the desk reads them off a calendar. Only the shape is checked
 * here; the host refuses dates that do not exist and times the clocks skip, with an issue naming the field.
 */
export const wallTime = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'),
    time: z.string().regex(/^\d{2}:\d{2}$/, 'expected a time HH:MM'),
  })
  .strict();
export type WallTimeInput = z.infer<typeof wallTime>;

export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');

/** An ISO UTC instant as `toISOString()` writes it. */
export const isoUtc = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, 'expected an ISO UTC time');
