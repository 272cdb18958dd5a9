import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  immutable: boolean;
}

/**
 * Resolves a URL path inside the built renderer. Anything that would leave the folder is refused;
 * paths without a file extension fall back to index.html so client-side routes survive a reload.
 */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = path.posix.normalize(decoded).replace(/^(\.\.(\/|$))+/, '').replace(/^\/+/, '');
  const candidate = path.resolve(rootDir, relative || 'index.html');
  if (candidate !== rootDir && !candidate.startsWith(rootDir + path.sep)) return undefined;
  const file = (await isFile(candidate)) ? candidate : path.extname(candidate) ? undefined : path.join(rootDir, 'index.html');
  if (!file) return undefined;
  const body = await readFile(file);
  const contentType = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  return { body, contentType, immutable: file.includes(`${path.sep}assets${path.sep}`) };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
