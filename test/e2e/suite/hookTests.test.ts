import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HooksmithApi } from '../../../client/src/extension';
import { copyFixture, extensionId, open, until, within } from './helpers';

/** The extension's API: its Test Explorer controller and the outcomes of its runs. */
async function api(): Promise<HooksmithApi> {
  const extension = vscode.extensions.getExtension<HooksmithApi>(extensionId);
  assert.ok(extension);
  return extension.isActive ? extension.exports : await extension.activate();
}

// The spec's two tests run from the Test Explorer ("Run All Tests"): one passes, one fails at the line of its expectation.
suite('Hook tests in the Test Explorer', () => {
  let spec: vscode.Uri;
  suiteSetup(() => {
    spec = vscode.Uri.joinPath(copyFixture('hook-tests'), 'vpn.hooktest.yaml');
  });

  test(
    "the spec's tests are discovered; Run All runs them through the server: one passes, one fails at its " + "expectation's line",
    async () => {
      const { hookTests } = await api();
      await open(spec);
      await within(Promise.resolve(hookTests.controller.resolveHandler?.(undefined)), 'discovering the specs');
      const file = await until(() => hookTests.controller.items.get(spec.toString()), 'the spec file in the Test Explorer');
      await until(() => (file.children.size === 2 ? true : undefined), 'its two tests');
      const pass = file.children.get(`${spec.toString()}#connect adds the route`);
      const fail = file.children.get(`${spec.toString()}#the route is elsewhere`);
      assert.ok(pass && fail);
      assert.equal(pass.range?.start.line, 1, 'the test sits at its name');
      const ended = hookTests.nextRun();
      await vscode.commands.executeCommand('testing.runAll');
      await within(ended, 'the test run', 60_000);
      assert.equal(hookTests.outcomes.get(pass.id)?.state, 'passed', JSON.stringify(hookTests.outcomes.get(pass.id)));
      const failed = hookTests.outcomes.get(fail.id);
      assert.equal(failed?.state, 'failed', JSON.stringify(failed));
      assert.deepEqual(failed.messages, [{ message: 'connect: no command matches ip route add 10.0.0.0/8 *', line: 18 }]);
    },
  );
});

/** Whether a process lives. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

suite('Hook tests as a spec changes, streaming and cancelled', () => {
  let folder: vscode.Uri;
  const specs: vscode.Uri[] = [];
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-e2e-tests-')), 'marker');
  suiteSetup(() => {
    folder = copyFixture('hook-tests');
  });
  suiteTeardown(() => {
    for (const spec of specs) fs.rmSync(spec.fsPath, { force: true });
    fs.rmSync(path.dirname(marker), { recursive: true, force: true });
  });

  const test1 = `tests:
  - name: first
    family: anyconnect
    scripts: scripts
    events: [connect]
    isolation: shims
    expect:
      connect: { exit: 0 }
`;

  test('a spec written on disk appears in the Test Explorer; a test added to it appears, one removed goes', async () => {
    const { hookTests } = await api();
    const spec = vscode.Uri.joinPath(folder, 'written.hooktest.yaml');
    specs.push(spec);
    fs.writeFileSync(spec.fsPath, test1);
    const file = await until(() => hookTests.controller.items.get(spec.toString()), 'the new spec in the Test Explorer');
    await until(() => (file.children.get(`${spec.toString()}#first`) ? true : undefined), 'its test');
    fs.writeFileSync(spec.fsPath, test1 + test1.replace('tests:\n', '').replace('name: first', 'name: second'));
    await until(() => (file.children.size === 2 && file.children.get(`${spec.toString()}#second`) ? true : undefined), 'the added test');
    fs.writeFileSync(spec.fsPath, test1.replace('name: first', 'name: renamed'));
    await until(
      () => (file.children.size === 1 && file.children.get(`${spec.toString()}#renamed`) ? true : undefined),
      'only the renamed test',
    );
  });

  test("a running test streams its hook's output into the test output; Cancel stops it and kills the hook", async () => {
    const { hookTests } = await api();
    const spec = vscode.Uri.joinPath(folder, 'slow.hooktest.yaml');
    specs.push(spec);
    fs.writeFileSync(
      spec.fsPath,
      `tests:
  - name: waits
    family: anyconnect
    scripts: slow
    events: [connect]
    isolation: shims
    env: { E2E_MARKER: ${JSON.stringify(marker)} }
    expect:
      connect: { exit: 0 }
`,
    );
    const file = await until(() => hookTests.controller.items.get(spec.toString()), 'the slow spec in the Test Explorer');
    const item = await until(() => file.children.get(`${spec.toString()}#waits`), 'its test');
    await open(spec);
    const ended = hookTests.nextRun();
    // The command settles when the run ends, which is after the cancel below.
    const running = vscode.commands.executeCommand('testing.runCurrentFile');
    const pid = await until(
      () => (fs.existsSync(`${marker}.pid`) ? Number(fs.readFileSync(`${marker}.pid`, 'utf8')) || undefined : undefined),
      "the slow hook's pid",
    );
    try {
      // Streamed: the hook's line is in the test output while the hook still runs.
      await until(
        () => (/\[waits: connect\] waiting to be cancelled/.test(hookTests.outputs.get(item.id) ?? '') ? true : undefined),
        'the streamed line',
      );
      assert.ok(alive(pid), 'the hook still runs while its output is shown');
      await vscode.commands.executeCommand('testing.cancelRun');
      await within(Promise.all([ended, running]), 'the cancelled run');
      assert.equal(hookTests.outcomes.get(item.id)?.state, 'skipped', JSON.stringify(hookTests.outcomes.get(item.id)));
      await until(() => (alive(pid) ? undefined : true), 'the hook killed by the cancel');
    } finally {
      if (alive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });
});
