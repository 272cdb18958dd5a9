/** Fills a real (size-limited) file system for the disk tests: disk-full, backup-disk. */
import { open, rm } from 'node:fs/promises';
import path from 'node:path';

/** Takes every byte left on the file system of `folder` but `spare`; the returned function gives them back. */
export async function fillFileSystem(folder: string, spare = 0): Promise<() => Promise<void>> {
  const filler = path.join(folder, 'filler');
  const file = await open(filler, 'w');
  // Big chunks first, then smaller ones: the last bytes of a nearly full disk only take a write that fits them.
  for (const size of [1 << 20, 4096, 1]) {
    const chunk = Buffer.alloc(size, 1);
    try {
      for (;;) await file.write(chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }
  if (spare > 0) await file.truncate(Math.max(0, (await file.stat()).size - spare));
  await file.close();
  return () => rm(filler);
}
