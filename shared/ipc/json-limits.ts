/**
 * Bounds for everything a peer sends the host (API calls and RxDB storage messages, over a WebSocket or Electron IPC):
 * a size, a nesting depth, plain JSON values only, and no prototype keys. The check walks the value once, iteratively,
 * and stops at the first problem or as soon as the size budget is spent, so it costs at most O(limit) whatever arrives.
 *
 * Why prototype keys are refused everywhere: `JSON.parse('{"__proto__":{…}}')` makes an own property, and the first
 * `Object.assign`/`obj[key] = value` copy of such an object (RxDB's `flatClone`, many record builders) swaps the copy's
 * prototype. No FrontDesk message has a legitimate key named `__proto__`, `constructor` or `prototype`.
 */
import type { ApiErrorCode } from './result.ts';

/** The largest API request or storage message the host reads. The UI's biggest (a type's settings) is ~60 KiB. */
export const MAX_REQUEST_BYTES = 256 * 1024;
/**
 * A WebSocket frame above this closes the socket (code 1009) before its body is read; frames between
 * MAX_REQUEST_BYTES and this are read and answered with `too_large`, and the socket stays usable.
 */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
/** Deeper than any FrontDesk document, schema or query (they nest < 12 levels). */
export const MAX_JSON_DEPTH = 64;

export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface JsonLimits {
  maxBytes: number;
  maxDepth: number;
}

export const REQUEST_LIMITS: JsonLimits = { maxBytes: MAX_REQUEST_BYTES, maxDepth: MAX_JSON_DEPTH };

export interface JsonProblem {
  code: Extract<ApiErrorCode, 'too_large' | 'invalid_request'>;
  message: string;
}

/**
 * `null` when `value` is plain JSON within the limits (`undefined` is accepted where IPC's structured clone keeps it:
 * as an object property or array element). The byte count approximates the JSON text's size.
 */
export function checkJsonValue(value: unknown, limits: JsonLimits = REQUEST_LIMITS): JsonProblem | null {
  // Containers wait on a stack (no recursion, whatever the depth); scalars are costed where they are met.
  const root: Visit = { value, depth: 0, parent: undefined, key: '' };
  if (typeof value !== 'object' || value === null) {
    const problem = scalarProblem(value);
    if (problem !== undefined) return invalid(root, problem);
    return typeof value === 'string' && value.length + 2 > limits.maxBytes ? tooLarge(limits.maxBytes) : null;
  }
  let bytes = 0;
  const stack: Visit[] = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const container = item.value as object;
    if (item.depth >= limits.maxDepth) return invalid(item, `is nested deeper than ${limits.maxDepth} levels`);
    const isArray = Array.isArray(container);
    if (!isArray) {
      const proto = Object.getPrototypeOf(container) as unknown;
      if (proto !== Object.prototype && proto !== null) return invalid(item, 'is not a plain JSON object');
    }
    const keys = isArray ? undefined : Object.keys(container);
    const length = keys ? keys.length : (container as unknown[]).length;
    bytes += 2;
    if (bytes > limits.maxBytes) return tooLarge(limits.maxBytes);
    for (let i = 0; i < length; i++) {
      const key = keys ? keys[i]! : '';
      if (keys) {
        if (PROTOTYPE_KEYS.has(key)) return invalid(item, `has the key "${key}", which is not allowed`);
        bytes += key.length + 4;
      } else {
        bytes += 1;
      }
      const child = keys ? (container as Record<string, unknown>)[key] : (container as unknown[])[i];
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: item.depth + 1, parent: item, key: keys ? key : String(i) });
      } else if (typeof child === 'string') {
        bytes += child.length + 2;
      } else {
        const problem = scalarProblem(child);
        if (problem !== undefined) return invalid({ value: child, depth: item.depth + 1, parent: item, key: keys ? key : String(i) }, problem);
        bytes += 6;
      }
      if (bytes > limits.maxBytes) return tooLarge(limits.maxBytes);
    }
  }
  return null;
}

/** Why a non-object value is not JSON, or undefined when it is fine. */
function scalarProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `holds ${String(value)}, which is not a JSON number`;
    default:
      return value === null ? undefined : `holds a ${typeof value}, which is not a JSON value`;
  }
}

interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | undefined;
  key: string;
}

function invalid(item: Visit, problem: string): JsonProblem {
  return { code: 'invalid_request', message: `${describePath(item)} ${problem}` };
}

/** The path of a value, for people reading a log: short whatever the input (computed only for a refusal). */
function describePath(item: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = item; at?.parent; at = at.parent) keys.push(at.key.length > 40 ? `${at.key.slice(0, 40)}…` : at.key);
  if (keys.length === 0) return 'The message';
  const path = keys.reverse().join('.');
  return `"${path.length > 120 ? `…${path.slice(-120)}` : path}"`;
}

export function tooLarge(maxBytes: number, actualBytes?: number): JsonProblem {
  const size = actualBytes === undefined ? 'is larger than' : `has ${formatBytes(actualBytes)}, more than`;
  return { code: 'too_large', message: `The request ${size} the ${formatBytes(maxBytes)} FrontDesk accepts; it was not processed.` };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
