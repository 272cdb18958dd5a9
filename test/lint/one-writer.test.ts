/** Proves the one-writer lint rules bite: the renderer writes no document; only the engine writes its collections. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function writeErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('one-writer lint rules', () => {
  it.each([
    ['renderer/src/probe.ts', 'export async function f(db: any) { await db.appointments.insert({}); }', /never writes documents/],
    ['renderer/src/probe.ts', 'export async function f(doc: any) { await doc.incrementalModify((d: any) => d); }', /never writes documents/],
    ['renderer/src/probe.ts', 'export async function f(doc: any) { await doc.remove(); }', /never writes documents/],
    ['electron/host/api/probe.ts', 'export async function f(db: any) { await db.team_events.bulkInsert([]); }', /Only the notification engine/],
    ['electron/host/commands/probe.ts', 'export async function f(db: any) { await db.jobs.upsert({}); }', /Only the notification engine/],
    ['shared/probe.ts', 'export async function f(db: any) { await db.delivery_log.insert({}); }', /Only the notification engine/],
  ])('refuses a write in %s: %s', async (filePath, code, message) => {
    const errors = await writeErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['renderer/src/probe.ts', "export async function f(api: any) { await api.call('appointments.cancel', {}); }"],
    ['electron/host/engine/probe.ts', 'export async function f(db: any) { await db.delivery_log.bulkInsert([]); }'],
    ['electron/host/commands/probe.ts', 'export async function f(db: any) { await db.appointments.insert({}); }'],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await writeErrors(filePath, code)).toEqual([]);
  });
});
