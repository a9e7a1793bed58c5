// Launcher 2 of the extension-host suite (test/e2e/suite): `npm run test:vscode`.
// Where VS Code cannot be downloaded (@vscode/test-electron, launcher 1), the suite runs in the
// VS Code server that the npm package code-server embeds: started with the smoke-test driver,
// opened in Debian's headless Chromium through playwright-core, with the extension under
// development and the suite as the page's payload. The suite's exit code arrives through
// codeAutomationExit. Two runs: the workspace trusted, then in Restricted Mode (not trusted).
// Everything lives in .vscode-test/ (scripts/setup-vscode-test.mjs installs what is missing).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium as playwright } from 'playwright-core';
import { cache, chromium, chromiumArgs, node24, root, serverMain, setup, toolEnv } from './setup-vscode-test.mjs';
import { freePort } from './ui/codeServer.mjs';

const started = Date.now();
const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1) + ' s';
const suiteDeadlineMs = Number(process.env.HOOKSMITH_E2E_TIMEOUT_MS ?? 240_000);
const running = new Set(); // process groups to stop on an interrupt

function step(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

/** Resolves once the server answers HTTP; rejects if it exits or the deadline passes. */
async function serverReady(port, child, deadlineMs = 60_000) {
  const deadline = Date.now() + deadlineMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('the VS Code server exited while starting');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/version`);
      if (res.ok || res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the VS Code server did not answer on port ${port} within ${deadlineMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops the server's whole process group (extension host, file watcher, language server). */
async function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    try {
      process.kill(-child.pid, 'SIGKILL'); // children may outlive the group leader
    } catch {
      // the group is gone
    }
    running.delete(child);
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000));
  await Promise.race([exited, timer]);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
  running.delete(child);
}

/**
 * The page probe: what the workbench shows is VS Code's own rendering (theme colours, a webview's
 * layout), which the extension API does not expose. The suite, in the extension host, POSTs
 * { expression, frame? } to this loopback URL (HOOKSMITH_E2E_PAGE, a random path as its key) and
 * gets back the expression's value in the workbench page, or in every frame that holds the CSS
 * selector `frame` (webviews are nested frames).
 */
async function startPageProbe(page) {
  const key = randomBytes(16).toString('hex');
  const evaluate = async ({ expression, frame }) => {
    const current = page();
    if (!current) throw new Error('the workbench page is not open yet');
    if (!frame) return [await current.mainFrame().evaluate(expression)];
    const values = [];
    for (const f of current.frames()) {
      if (f.isDetached() || !(await f.$(frame).catch(() => null))) continue;
      // A webview's frame is replaced when its view re-renders; one that goes between the check
      // and the evaluation shows nothing any more, so it has no value, rather than failing the probe.
      const value = await f.evaluate(expression).then(
        (v) => ({ v }),
        (e) => {
          if (f.isDetached() || /detached|context was destroyed/i.test(String(e?.message ?? e))) return undefined;
          throw e;
        },
      );
      if (value) values.push(value.v);
    }
    return values;
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      if (req.method !== 'POST' || req.url !== `/${key}`) {
        res.writeHead(404).end();
        return;
      }
      try {
        const values = await evaluate(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ values }));
      } catch (e) {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/${key}`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections(); // the extension host's keep-alive connections would hold close() open
      }),
  };
}

async function runSuite(mode) {
  const runDir = join(cache, 'runs', mode);
  rmSync(runDir, { recursive: true, force: true });
  const workspace = join(runDir, 'workspace');
  const serverData = join(runDir, 'server-data');
  const report = join(runDir, 'mocha.txt');
  mkdirSync(join(serverData, 'user', 'User'), { recursive: true });
  // The tests edit and save files: they get a fresh copy of the fixtures.
  cpSync(join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  writeFileSync(
    join(serverData, 'user', 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'files.autoSave': 'off' }) + '\n',
  );

  const port = await freePort();
  let page;
  const probe = await startPageProbe(() => page);
  const args = [
    serverMain,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--server-data-dir',
    serverData,
    '--user-data-dir',
    join(serverData, 'user'),
    '--extensions-dir',
    join(serverData, 'extensions'),
    '--telemetry-level',
    'off',
    ...(mode === 'trusted' ? ['--disable-workspace-trust'] : []),
    // For investigations, e.g. HOOKSMITH_E2E_SERVER_ARGS='--log trace'.
    ...(process.env.HOOKSMITH_E2E_SERVER_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const serverLog = createWriteStream(join(runDir, 'server.log'));
  // detached: setsid, so the server and everything it starts form one process group to stop.
  const server = spawn(node24, args, {
    cwd: runDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: toolEnv({ HOOKSMITH_E2E_MODE: mode, HOOKSMITH_E2E_REPORT: report, HOOKSMITH_E2E_PAGE: probe.url }),
  });
  running.add(server);
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);

  let browser;
  try {
    await serverReady(port, server);
    const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(join(root, 'out-e2e', 'suite', 'index.js'))],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURI(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    browser = await playwright.launchPersistentContext(join(runDir, 'chromium'), {
      executablePath: chromium,
      headless: true,
      args: chromiumArgs,
      env: toolEnv(),
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    const automationLog = createWriteStream(join(runDir, 'workbench.log'));
    page.on('pageerror', (e) => automationLog.write(`[pageerror] ${e.message}\n`));
    let exit;
    const exited = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => automationLog.write(`[${type}] ${args.map(String).join(' ')}\n`));
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    await page.goto(url);
    let timer;
    const code = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), suiteDeadlineMs)))]);
    clearTimeout(timer);
    automationLog.end();
    return { code, report, runDir };
  } finally {
    await browser?.close().catch(() => {});
    await probe.close();
    await stopGroup(server);
    serverLog.end();
  }
}

async function main() {
  const did = setup();
  console.log(
    did.length ? `[test:vscode] installed ${did.join('; ')} (${seconds(started)})` : '[test:vscode] tools already in .vscode-test/',
  );
  step(process.execPath, ['scripts/build.mjs', '--e2e']);
  step(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'test/e2e']);
  if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing`);

  let failed = 0;
  for (const mode of ['trusted', 'untrusted']) {
    const runStarted = Date.now();
    console.log(`\n[test:vscode] extension-host suite, workspace ${mode} (VS Code server of code-server, headless Chromium)`);
    const { code, report, runDir } = await runSuite(mode);
    if (existsSync(report)) process.stdout.write(readFileSync(report, 'utf8'));
    else console.log('(the suite wrote no mocha output)');
    const ok = code === 0;
    console.log(
      `[test:vscode] ${mode}: ` +
        `${code === 'timeout' ? `no exit code within ${suiteDeadlineMs / 1000} s` : `exit code ${code}`} in ` +
        `${seconds(runStarted)}${ok ? '' : `; logs in ${runDir}`}`,
    );
    if (!ok) failed = typeof code === 'number' && code !== 0 ? code : 1;
  }
  console.log(`[test:vscode] done in ${seconds(started)}`);
  return failed;
}

const interrupt = async () => {
  for (const child of running) await stopGroup(child);
  process.exit(130);
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(`[test:vscode] ${error.message}`);
    for (const child of running) await stopGroup(child);
    process.exit(1);
  },
);
