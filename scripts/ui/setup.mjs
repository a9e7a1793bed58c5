// What driving a real VS Code in a browser needs: Node 24, code-server, Debian's chromium, all in the
// git-ignored .vscode-test/. scripts/setup-vscode-test.mjs (the extension-host suite's launcher) installs
// them; this module only adapts it for the UI scripts, which ask nothing else for paths.
import { join } from 'node:path';
import { chromium, codeServerRoot, node24, root, setup, toolEnv } from '../setup-vscode-test.mjs';

export const repoRoot = root;

/** Installs whatever is missing; returns the paths and environment to run code-server and Chromium. */
export function ensureUiTools() {
  setup();
  return { node: node24, codeServer: join(codeServerRoot, 'out', 'node', 'entry.js'), chromium, env: toolEnv() };
}
