// Entry point VS Code loads as extensionTestsPath: runs the mocha suite inside the extension host.
// HOOKSMITH_E2E_MODE=untrusted runs the Restricted Mode files instead of the main ones.
// HOOKSMITH_E2E_REPORT names a file that receives the mocha output too (the code-server launcher
// prints it: the remote extension host's console does not reach the terminal).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const report = process.env.HOOKSMITH_E2E_REPORT;
  if (report) {
    fs.writeFileSync(report, '');
    const original = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      original(...args);
      fs.appendFileSync(report, format(...args) + '\n');
    };
  }
  // HOOKSMITH_E2E_GREP: only the tests whose suite and name match (while working on a few of them).
  const grep = process.env.HOOKSMITH_E2E_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files =
    process.env.HOOKSMITH_E2E_MODE === 'untrusted'
      ? ['untrusted.test.js', 'simulateUntrusted.test.js', 'hookTestsUntrusted.test.js']
      : [
          'extension.test.js',
          'simulate.test.js',
          'editorFixes.test.js',
          'vpncScript.test.js',
          'hookTests.test.js',
          'ocserv.test.js',
          'openvpn.test.js',
          'wgQuick.test.js',
          'nmDispatcher.test.js',
        ];
  // What VS Code draws is read through the code-server launcher's page probe; test-electron's launcher has none.
  if (files.includes('extension.test.js')) {
    if (process.env.HOOKSMITH_E2E_PAGE) files.push('rendering.test.js', 'notifications.test.js');
    else
      Mocha.reporters.Base.consoleLog(
        'rendering.test.js and notifications.test.js not run: they read the workbench page through the page probe of ' +
          '`npm run test:vscode`, which this launcher does not offer',
      );
  }
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
