/**
 * Where desktop toasts find the app's icon: the built renderer's favicon (renderer/public, rendered from build/icon.svg).
 * The OS shows a toast from another process (notify-send, the macOS and Windows notifiers), which cannot read inside
 * the packed app's asar archive: there the file comes from the folder electron-builder unpacks it to (`asarUnpack`).
 */
import path from 'node:path';

export function toastIconIn(rendererDir: string): string {
  const file = path.join(rendererDir, 'favicon.png');
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
