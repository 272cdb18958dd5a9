/**
 * React keys for a column's blocks. Within one date a visit keeps its key, so a focused or dragged block stays the
 * element of its own visit while other visits come and go (a new visit gets a key never used on that date). When the
 * column shows another date, the new visits take the keys the previous day's visits had, in order: React then updates
 * the column's existing buttons instead of removing some 20 and creating 20 new ones per column on every day switch.
 */
export interface BlockKeys {
  date: string;
  byId: ReadonlyMap<string, string>;
  /** The next number never used as a key on this date. */
  next: number;
}

export function assignBlockKeys(previous: BlockKeys | undefined, date: string, ids: readonly string[]): BlockKeys {
  const byId = new Map<string, string>();
  if (!previous || previous.date !== date) {
    // Keys handed out in the previous day's order, then new ones; reused keys must come from the previous column.
    const reusable = previous ? [...previous.byId.values()] : [];
    let next = previous?.next ?? 0;
    for (const id of ids) byId.set(id, reusable.shift() ?? `b${next++}`);
    return { date, byId, next };
  }
  let next = previous.next;
  for (const id of ids) byId.set(id, previous.byId.get(id) ?? `b${next++}`);
  return { date, byId, next };
}
