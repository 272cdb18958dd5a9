/** `npm run web`: build the app if its sources changed, then start the host in plain Node. */
import { ensureBuild } from './ensure-build.ts';
import { runWebMode } from '../electron/host/web/cli.ts';

try {
  ensureBuild();
} catch (error) {
  console.error(`frontdesk web: ${(error as Error).message}`);
  process.exit(1);
}
await runWebMode(process.argv.slice(2));
