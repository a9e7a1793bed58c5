import * as assert from 'node:assert/strict';
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
