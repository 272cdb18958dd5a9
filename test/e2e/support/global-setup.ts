import { ensureBuild } from '../../../scripts/ensure-build.ts';

/** The e2e tests drive the built renderer: build once if the sources changed. */
export default function setup(): void {
  ensureBuild();
}
