// code-server with a .vsix installed into a fresh profile, started in its own process group (setsid)
// and stopped as a group: the extension host, file watcher and language server go with it.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** User settings for a clean picture: no chat side bar, minimap or tips; nothing is ever saved. */
const userSettings = {
  'files.autoSave': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'git.openRepositoryInParentFolders': 'never',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Installs `vsix` into a fresh profile under `runDir` and starts code-server on a free port.
 * @returns {Promise<{ url: (folder: string) => string, stop: () => Promise<void> }>}
 */
export async function startCodeServer({ tools, vsix, runDir }) {
  rmSync(runDir, { recursive: true, force: true });
  const user = join(runDir, 'user');
  const extensions = join(runDir, 'extensions');
  mkdirSync(join(user, 'User'), { recursive: true });
  writeFileSync(join(user, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2) + '\n');
  const port = await freePort();
  const config = join(runDir, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ['--config', config, '--user-data-dir', user, '--extensions-dir', extensions];

  const install = spawnSync(tools.node, [tools.codeServer, ...common, '--install-extension', vsix], { env: tools.env, encoding: 'utf8' });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout)) {
    throw new Error(`installing ${vsix} failed:\n${install.stdout}${install.stderr}`);
  }

  const log = createWriteStream(join(runDir, 'code-server.log'));
  const child = spawn(
    tools.node,
    [
      tools.codeServer,
      ...common,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--disable-workspace-trust',
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: tools.env },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const stop = () => stopGroup(child);
  try {
    await healthy(port, child);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: (folder) => `http://127.0.0.1:${port}/?folder=${encodeURI(folder)}`, stop };
}

async function healthy(port, child, deadlineMs = 60_000) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}) while starting`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`code-server did not answer on port ${port} within ${deadlineMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopGroup(child) {
  const signal = (s) => {
    try {
      process.kill(-child.pid, s);
    } catch {
      // the group is gone
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    signal('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  signal('SIGKILL'); // children may outlive the group leader
}
