/** `npm run web`: build the app if its sources changed, then start the built web mode (out/main/web.js) in plain Node. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, projectRoot } from './ensure-build.ts';

try {
  ensureBuild();
} catch (error) {
  console.error(`frontdesk web: ${(error as Error).message}`);
  process.exit(1);
}
// It reads its options from process.argv, as when run as `node out/main/web.js …`.
await import(pathToFileURL(path.join(projectRoot, 'out/main/web.js')).href);
