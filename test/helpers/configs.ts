import * as fs from 'node:fs';
import * as path from 'node:path';
import { configTypeOnDisk, lintAndWire } from '../../server/src/config/configDocs';

/**
 * Lints the config documents in `dir` and records the hooks they wire, as the CLI and the
 * workspace scan do before they recognise hooks; answers the configs' file names.
 */
export function wireConfigsIn(dir: string): Set<string> {
  const configs = new Set<string>();
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const match = configTypeOnDisk(file);
    if (!match) continue;
    lintAndWire(match, file, fs.readFileSync(file, 'utf8'), { roots: [dir], serverPaths: {} });
    configs.add(name);
  }
  return configs;
}
