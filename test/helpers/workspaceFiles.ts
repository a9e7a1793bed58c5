import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Writes files under `work` with an explicit mode (the umask would otherwise decide it); each write answers the file's URI. */
export function fileWriter(work: string): (rel: string, text: string, mode?: number) => string {
  return (rel, text, mode = 0o755) => {
    const file = path.join(work, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { mode });
    fs.chmodSync(file, mode);
    return pathToFileURL(file).toString();
  };
}
