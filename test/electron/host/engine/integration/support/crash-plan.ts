/** What crash-child.ts seeds, shared with crash.test.ts (which must not import the child: it runs on import). */
export const REMINDER_OFFSETS_MINUTES = [2, 1];
export const CLIENTS = 18;
/** Their addresses are refused by the sink (550): the email step fails, nothing arrives. */
export const REJECTED_CLIENTS = ['c16', 'c17'];
export const rejectedAddress = (clientId: string): string => `${clientId}@refused.example`;
/** Appointment i starts 2 min + 3 s + i × SPACING_MS after seeding. */
export const SPACING_MS = 400;
