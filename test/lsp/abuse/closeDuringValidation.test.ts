// Documents closed while their validation is pending or running: once the server has published
// the empty list for a closed document, nothing more may come for it, and the server answers.
// "Nothing more" is checked after the server's test-only trace says every validation and ShellCheck
// run the test caused has settled (test/helpers/lspClient.ts settled()), not after a quiet spell.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { largeProfile } from '../../../bench/generate';
import { survivorsOf } from '../../helpers/processGroups';
import { LspClient } from '../../helpers/lspClient';
import { assertAnswers, childStarted, tempDir, uriOf } from './support';

/** The bench's 4.85 MB profile (20,000 HostEntry elements) with one wrong value, so that a stale publish would show. */
const large = largeProfile().replace(
  '<AutoUpdate UserControllable="false">true</AutoUpdate>',
  '<AutoUpdate UserControllable="false">yes</AutoUpdate>',
);

/** A hook ShellCheck takes about a second on, ending with a finding. */
const slowHook = `#!/bin/sh\n${'echo "$HOME" "$PWD" | tr a b\n'.repeat(300)}echo $1\n`;

suite('a document closed while its validation is pending or running', () => {
  let client: LspClient;
  const work = tempDir('close');
  let serial = 0;
  const fresh = (name: string): string => uriOf(path.join(work, `close-${++serial}`, name));

  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0, 'the server exits cleanly');
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** Closes `uri`; then the empty list must come, and after it nothing, once all the work on `uri` has settled. */
  async function closeAndExpectQuiet(uri: string, close: () => Promise<void> = () => client.close(uri)): Promise<void> {
    const cleared = client.diagnostics(uri, (ds, version) => version === undefined && ds.length === 0);
    await close();
    const empty = await cleared;
    await client.settled(uri);
    assert.deepEqual(client.publishedAfter(uri, empty), [], `nothing published for ${uri} after its empty list`);
  }

  test('the large profile is validated when it stays open (the baseline)', async () => {
    const uri = fresh('profile.xml');
    const published = client.forVersion(uri, 1, 30_000);
    await client.open(uri, large);
    assert.deepEqual(
      (await published).diagnostics.map((d) => d.code),
      ['HS206'],
    );
    assert.deepEqual(await client.executeCommand('hooksmith.server.validate', uri), { validated: true, diagnostics: 1 });
    await closeAndExpectQuiet(uri);
  });

  test('opened and closed at once: only the empty list is published', async () => {
    const uri = fresh('profile.xml');
    await client.open(uri, large);
    await closeAndExpectQuiet(uri);
    assert.deepEqual(
      client.published.filter((p) => p.uri === uri).map((p) => p.diagnostics),
      [[]],
    );
    await assertAnswers(client, 'after a large profile opened and closed at once');
  });

  test('closed while a validation runs: its result comes first, then the empty list, then nothing', async () => {
    const uri = fresh('profile.xml');
    const opened = client.forVersion(uri, 1, 30_000);
    await client.open(uri, large);
    await opened;
    // The close is on the wire while the server validates; it can be read only when the validation yields.
    const validating = client.executeCommand('hooksmith.server.validate', uri);
    await closeAndExpectQuiet(uri);
    assert.deepEqual(await validating, { validated: true, diagnostics: 1 });
    const last = client.published.filter((p) => p.uri === uri).at(-1);
    assert.deepEqual(last?.diagnostics, [], 'the last word on the closed document is the empty list');
    await assertAnswers(client, 'after a close during validation');
  });

  test('changed and closed at once: the change is never validated', async () => {
    const uri = fresh('profile.xml');
    const opened = client.forVersion(uri, 1, 30_000);
    await client.open(uri, large);
    await opened;
    const at = client.documents.get(uri)!.positionAt(large.indexOf('<HostEntry>'));
    await client.change(uri, 2, [{ range: { start: at, end: at }, text: '<HostEntri/>' }]);
    await closeAndExpectQuiet(uri);
    assert.deepEqual(
      client.published.filter((p) => p.uri === uri && p.version === 2),
      [],
      'nothing published for version 2',
    );
    await assertAnswers(client, 'after a change and a close');
  });

  test('closed while ShellCheck runs on a hook: the run is killed and nothing of it is published', async () => {
    const uri = fresh('OnConnect_slow.sh');
    await client.open(uri, slowHook, 1, 'shellscript');
    const shellcheck = await childStarted(client.pid, 'shellcheck'); // the leader of its own process group
    await closeAndExpectQuiet(uri);
    assert.deepEqual(await survivorsOf(shellcheck), [], 'the ShellCheck process group is gone');
    assert.ok(
      !client.published.some((p) => p.uri === uri && p.diagnostics.some((d) => d.source === 'shellcheck')),
      'no ShellCheck finding was published',
    );
    await assertAnswers(client, 'after a close during ShellCheck');
  });

  test('changed and closed while ShellCheck waits for a pause in typing: no run, nothing published', async () => {
    const uri = fresh('OnConnect_typing.sh');
    const opened = client.diagnostics(uri, (ds, version) => version === 1 && ds.some((d) => d.source === 'shellcheck'), 30_000);
    await client.open(uri, '#!/bin/sh\necho $1\n', 1, 'shellscript');
    await opened;
    await client.change(uri, 2, [{ range: { start: { line: 1, character: 5 }, end: { line: 1, character: 5 } }, text: '$2 ' }]);
    await closeAndExpectQuiet(uri);
    assert.deepEqual(
      client.published.filter((p) => p.uri === uri && p.version === 2 && p.diagnostics.some((d) => d.source === 'shellcheck')),
      [],
    );
    await assertAnswers(client, 'after a change and a close of a hook');
  });

  test('closed and reopened while validating: the reopened text has the last word', async () => {
    const uri = fresh('profile.xml');
    const opened = client.forVersion(uri, 1, 30_000);
    await client.open(uri, large);
    await opened;
    const small =
      '<AnyConnectProfile ' +
      'xmlns="http://schemas.xmlsoap.org/encoding/"><ClientInitialization><AutoUpdate>true</AutoUpdate>' +
      '</ClientInitialization></AnyConnectProfile>';
    const validating = client.executeCommand('hooksmith.server.validate', uri);
    const reopened = client.diagnostics(uri, (ds, version) => version === 1 && ds.length === 0, 30_000);
    await client.close(uri);
    await client.open(uri, small);
    await validating;
    const last = await reopened;
    await client.settled(uri);
    assert.deepEqual(client.publishedAfter(uri, last), [], 'nothing of the large text after the reopened one');
    await client.close(uri);
  });
});
