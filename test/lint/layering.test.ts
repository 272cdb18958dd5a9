/** Proves the layering lint rule bites: each deliberate bad import is an error, each good one is not. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rule', () => {
  it.each([
    ['shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", /Node built-ins/],
    ['shared/probe.ts', "import fs from 'fs';\nexport const x = fs;", /Node built-ins/],
    ['shared/probe.ts', "import { app } from 'electron';\nexport const x = app;", /Only electron\/main/],
    ['shared/probe.ts', "import { Button } from '@mantine/core';\nexport const x = Button;", /isomorphic/],
    ['shared/probe.ts', "import { FrontDeskHost } from '../electron/host/host.ts';\nexport const x = FrontDeskHost;", /only shared/],
    ['electron/host/probe.ts', "import { app } from 'electron';\nexport const x = app;", /Only electron\/main/],
    ['electron/host/probe.ts', "import { shell } from 'electron/main';\nexport const x = shell;", /Only electron\/main/],
    ['renderer/src/probe.ts', "import path from 'node:path';\nexport const x = path;", /Node built-ins/],
    ['renderer/src/probe.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;", /Only electron\/main/],
    ['renderer/src/probe.ts', "import { FrontDeskHost } from '../../electron/host/host.ts';\nexport const x = FrontDeskHost;", /only renderer and shared/],
  ])('refuses a bad import in %s: %s', async (filePath, code, message) => {
    const errors = await restrictedImportErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['shared/probe.ts', "import { z } from 'zod';\nexport const x = z;"],
    ['electron/host/probe.ts', "import path from 'node:path';\nexport const x = path;"],
    ['electron/main/probe.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['renderer/src/probe.ts', "import { contract } from '../../shared/ipc/contract.ts';\nexport const x = contract;"],
  ])('allows a good import in %s', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, code)).toEqual([]);
  });
});
