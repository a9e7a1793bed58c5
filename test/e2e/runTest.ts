// Launcher 1: the suite in a downloaded VS Code (Electron), for machines that can reach
// update.code.visualstudio.com. `npm run test:vscode:electron`. Where VS Code cannot be
// downloaded, `npm run test:vscode` (scripts/test-vscode.mjs) runs the same suite in code-server.
// @vscode/test-electron always passes --disable-workspace-trust, so the Restricted Mode run
// (HOOKSMITH_E2E_MODE=untrusted) belongs to the code-server launcher only.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-e2e-'));
  // The tests edit and save files: they get a fresh copy, never the fixtures themselves.
  fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out-e2e', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { HOOKSMITH_E2E_MODE: 'trusted' },
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
