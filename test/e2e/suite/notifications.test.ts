import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../../server/src/protocol';
import { inPage, setSetting, until, within, workspaceFile } from './helpers';

// A notification's button, clicked as a person clicks it: through the workbench page (the page
// probe), since the extension API cannot press a non-modal message's buttons.

/** Clicks `label` in the notification (a toast, or in the notification centre) whose text contains `text`: 'clicked', or why not. */
const clickInNotification = (text: string, label: string): string => `(() => {
  const items = [...document.querySelectorAll('.notification-list-item')];
  const item = items.find((t) => t.textContent.includes(${JSON.stringify(text)}));
  if (!item) return 'no such notification among ' + JSON.stringify(items.map((t) => t.textContent));
  const button = [...item.querySelectorAll('.monaco-button')].find((b) => b.textContent.trim() === ${JSON.stringify(label)});
  if (!button) return 'no such button';
  button.click();
  return 'clicked';
})()`;

suite('Buttons in notifications', () => {
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-e2e-allow-')), 'marker');

  suiteSetup(async () => {
    await setSetting('hooksmith.simulate', 'env', { E2E_MARKER: marker });
    await setSetting('hooksmith.simulate', 'isolation', 'shims');
  });
  suiteTeardown(() => fs.rmSync(path.dirname(marker), { recursive: true, force: true }));

  test(
    'shims mode refuses a hook whose call would bypass the shims, and says so; "Run anyway (allow unintercepted)" in ' +
      'the warning runs it for real, as the user chose',
    async () => {
      // Earlier notifications could hold the toasts' few places, and this one would wait behind them.
      await vscode.commands.executeCommand('notifications.clearAll');
      const hook = workspaceFile('bypass', 'OnConnect_bypass.sh');
      fs.mkdirSync(path.dirname(hook.fsPath), { recursive: true });
      // A call by absolute path: the shims cannot catch it, so without a sandbox it would change this machine.
      fs.writeFileSync(hook.fsPath, '#!/bin/sh\n/usr/bin/touch "$E2E_MARKER.ran"\n', { mode: 0o755 });
      const report = await within(
        vscode.commands.executeCommand<SimulationReport | undefined>('hooksmith.simulate.fromLens', {
          kind: 'anyconnect',
          events: ['connect'],
          script: hook.fsPath,
        }),
        'the refused simulation',
      );
      assert.equal(report?.runs[0]?.notRun?.reason, 'unintercepted', JSON.stringify(report));
      assert.equal(fs.existsSync(`${marker}.ran`), false, 'the refused hook did not run');

      let seen = '';
      await until(async () => {
        if (/^no such notification/.test(seen)) await vscode.commands.executeCommand('notifications.showList');
        [seen] = await inPage<string>(clickInNotification('would bypass the shims', 'Run anyway (allow unintercepted)'));
        return seen === 'clicked' ? true : undefined;
      }, 'the warning with its Run anyway button').catch((e: Error) => assert.fail(`${e.message}: ${seen}`));
      await until(() => (fs.existsSync(`${marker}.ran`) ? true : undefined), 'the hook run for real after Run anyway');
    },
  );
});
