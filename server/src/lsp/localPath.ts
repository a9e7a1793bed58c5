import { fileURLToPath } from 'node:url';

/**
 * The local path of a file: URI; undefined for other schemes and for file: URIs that name no
 * local path (a host, as in file://server/share/x, or an encoded separator): any client may
 * send those, and fileURLToPath throws on them.
 */
export function localPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
