/**
 * The renderer's dev-server URL (electron-vite sets ELECTRON_RENDERER_URL in `npm run dev`). Honoured only by an
 * unpackaged app, and only for an http(s) server on this computer: a packaged app always loads its own files from
 * app://frontdesk/, whatever the environment says. No Electron import, so it is tested in plain Node.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function devServerUrl(packaged: boolean, env: NodeJS.ProcessEnv): string | undefined {
  if (packaged) return undefined;
  const value = env.ELECTRON_RENDERER_URL;
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.has(url.hostname) ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
