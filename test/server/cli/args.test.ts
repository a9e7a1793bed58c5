import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, UsageError } from '../../../server/src/cli/args';
import { families } from '../../../server/src/families/registry';

test('lint takes formats, dialects, folders and paths, in any order', () => {
  assert.deepEqual(
    parseArgs([
      'lint',
      'a.xml',
      '--format=json',
      '--dialect',
      'seed',
      '--script-folder',
      's',
      'dir',
      '--max-size-mb',
      '2',
      '--family',
      '**/fw=shorewall',
      '--family=vpn/a=b/**=anyconnect',
      '--server-path',
      '/etc/ocserv=deploy/ocserv',
      '--fail-on',
      'warning',
      '--base-dir=..',
      '--docs-base-url',
      'https://docs.example.org/rules/',
    ]),
    {
      command: 'lint',
      format: 'json',
      failOn: 'warning',
      baseDir: '..',
      docsBaseUrl: 'https://docs.example.org/rules/',
      dialect: 'seed',
      maxSizeMB: 2,
      scriptFolders: ['s'],
      families: { '**/fw': 'shorewall', 'vpn/a=b/**': 'anyconnect' },
      serverPaths: { '/etc/ocserv': 'deploy/ocserv' },
      shellcheck: { mode: 'auto' },
      paths: ['a.xml', 'dir'],
    },
  );
  assert.deepEqual(parseArgs(['lint', '--shellcheck', 'off', 'a']), {
    ...(parseArgs(['lint', 'a']) as object),
    shellcheck: { mode: 'off' },
  });
  assert.deepEqual((parseArgs(['lint', '--shellcheck=/opt/sc', 'a']) as { shellcheck: unknown }).shellcheck, {
    mode: 'path',
    executable: '/opt/sc',
  });
  assert.deepEqual(parseArgs(['lint', '--', '--odd-name.xml']).command, 'lint');
  assert.deepEqual(parseArgs(['--help']), { command: 'help' });
  assert.deepEqual(parseArgs(['lint', '-h']), { command: 'help' });
  assert.deepEqual(parseArgs(['--version']), { command: 'version' });
});

test('usage errors say what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [[], /No command/],
    [['check', 'a'], /Unknown command 'check'/],
    [['lint'], /at least one file/],
    [['lint', '--format', 'xml', 'a'], /--format must be one of text, json, sarif/],
    [['lint', 'a', '--format'], /--format needs a value/],
    [['lint', '--max-size-mb', '-1', 'a'], /positive number/],
    [['lint', '--fix', 'a'], /Unknown option '--fix'/],
    [['lint', '--family', 'hooks', 'a'], /--family takes GLOB=ID/],
    [['lint', '--family', 'hooks=pf', 'a'], new RegExp(`ID one of ${families.map((f) => f.id).join(', ')}, not 'hooks=pf'`)],
    [['lint', '--server-path', 'etc=x', 'a'], /--server-path takes DIR=LOCAL with DIR an absolute folder/],
    [['lint', '--fail-on', 'errors', 'a'], /--fail-on must be one of error, warning, note, not 'errors'/],
    [['lint', '--docs-base-url', 'http://docs.example.org/', 'a'], /--docs-base-url must be an https:\/\/ address/],
    [['lint', '--docs-base-url', 'docs/rules', 'a'], /--docs-base-url must be an https:\/\/ address/],
    [['lint', '--shellcheck', '', 'a'], /--shellcheck takes auto, off or the path/],
  ];
  for (const [argv, message] of cases)
    assert.throws(
      () => parseArgs(argv),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      argv.join(' '),
    );
});
