/**
 * The building blocks of the sync conflict handlers: a key-order-independent JSON form for equality and deterministic
 * tie-breaks, and a three-way field merge. Pure and isomorphic.
 */

/** JSON with object keys sorted, so two equal documents always give the same string whatever their key order. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || stableJson(a) === stableJson(b);
}

/** A 32-bit FNV-1a hash as 8 hex digits: short, stable ids for conflict reports. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

type Doc = Record<string, unknown>;

/**
 * Which of two versions wins where both changed the same thing: the later `updatedAt` (ISO UTC strings compare as
 * times), then the greater stable JSON. The same answer whichever desk resolves, so every desk converges.
 */
export function laterVersion<T extends Doc>(a: T, b: T, stamp: (doc: T) => string | undefined = (doc) => doc.updatedAt as string | undefined): 'a' | 'b' {
  const sa = stamp(a) ?? '';
  const sb = stamp(b) ?? '';
  if (sa !== sb) return sa > sb ? 'a' : 'b';
  return stableJson(a) >= stableJson(b) ? 'a' : 'b';
}

export interface FieldMergeResult<T> {
  merged: T;
  /** Field groups both sides changed to different values; the winner's value was kept for each. */
  conflicts: string[];
}

/**
 * Three-way merge over groups of fields (a group such as start/end/startMs moves as one). A group changed on one side
 * only takes that side's value; changed on both to the same value, that value; changed on both differently, the
 * winner's. Without a base every differing group is a conflict. Fields not in any group are treated as singletons.
 */
export function mergeFieldGroups<T extends Doc>(input: {
  base: T | undefined;
  local: T;
  remote: T;
  winner: 'local' | 'remote';
  groups?: readonly (readonly string[])[];
  /** Fields merged by the caller afterwards (history, stamps): left out here. */
  skip?: readonly string[];
}): FieldMergeResult<T> {
  const { base, local, remote, winner } = input;
  const skip = new Set(input.skip ?? []);
  const grouped = new Set((input.groups ?? []).flat());
  const keys = new Set([...Object.keys(local), ...Object.keys(remote), ...(base ? Object.keys(base) : [])]);
  const groups: string[][] = (input.groups ?? []).map((g) => [...g]);
  for (const key of keys) if (!grouped.has(key) && !skip.has(key)) groups.push([key]);
  const merged: Doc = {};
  const conflicts: string[] = [];
  const pick = (group: string[], from: Doc | undefined) => {
    for (const key of group) {
      const value = from?.[key];
      if (value !== undefined) merged[key] = value;
      else delete merged[key];
    }
  };
  const slice = (doc: Doc | undefined, group: string[]) => group.map((key) => doc?.[key]);
  for (const group of groups) {
    const l = slice(local, group);
    const r = slice(remote, group);
    if (sameValue(l, r)) {
      pick(group, local);
      continue;
    }
    if (base) {
      const b = slice(base, group);
      if (sameValue(l, b)) {
        pick(group, remote);
        continue;
      }
      if (sameValue(r, b)) {
        pick(group, local);
        continue;
      }
    }
    conflicts.push(group.join('+'));
    pick(group, winner === 'local' ? local : remote);
  }
  for (const key of skip) if (local[key] !== undefined) merged[key] = local[key];
  return { merged: merged as T, conflicts };
}
