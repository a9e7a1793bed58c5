import * as path from 'node:path';
import { root } from './packed';

/**
 * The wrapper that runs one of the newer editors scripts/ensure-editors.mjs unpacks from Debian's
 * archive (`npm test`'s pretest provides them): nvim-0.10, nvim-0.12, hx.
 */
export function editorBin(name: 'nvim-0.10' | 'nvim-0.12' | 'hx'): string {
  return path.join(root, '.cache/hooksmith-editors/bin', name);
}

/** What to do when one is missing, for the error a test shows. */
export const editorsMissing = 'run `node scripts/ensure-editors.mjs`, which fetches it from Debian';
