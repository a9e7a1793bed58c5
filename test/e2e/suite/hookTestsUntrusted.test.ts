import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HooksmithApi } from '../../../client/src/extension';
import { copyFixture, extensionId, open, until, within } from './helpers';

// Restricted Mode: the spec's tests are listed, but running them is refused with the reason and runs no hook.
// VS Code's own Run All asks for trust first (a dialog); the extension's run command refuses by itself.
suite('Hook tests in an untrusted workspace', () => {
  test('running a test marks it errored with the Restricted Mode reason', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const spec = vscode.Uri.joinPath(copyFixture('hook-tests'), 'vpn.hooktest.yaml');
    const extension = vscode.extensions.getExtension<HooksmithApi>(extensionId);
    assert.ok(extension);
    const { hookTests } = extension.isActive ? extension.exports : await extension.activate();
    await open(spec);
    await within(Promise.resolve(hookTests.controller.resolveHandler?.(undefined)), 'discovering the specs');
    const file = await until(() => hookTests.controller.items.get(spec.toString()), 'the spec file in the Test Explorer');
    await until(() => (file.children.size === 2 ? true : undefined), 'its two tests');
    for (const name of ['connect adds the route', 'the route is elsewhere']) {
      await within(vscode.commands.executeCommand('hooksmith.runHookTest', spec.toString(), name), `the refused run of ${name}`);
      const outcome = hookTests.outcomes.get(`${spec.toString()}#${name}`);
      assert.equal(outcome?.state, 'errored', name);
      assert.match(outcome.messages[0].message, /^Restricted Mode: hook tests run the workspace's hook scripts/);
    }
  });
});
