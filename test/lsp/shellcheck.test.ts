import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe as suite, test } from 'node:test';
import { CodeAction, CodeActionRequest, Diagnostic, LogMessageNotification, LogMessageParams } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../helpers/lspClient';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-lsp-shellcheck-'));
const write = (name: string, text: string): string => {
  const file = path.join(work, name);
  fs.writeFileSync(file, text, { mode: 0o755 });
  fs.chmodSync(file, 0o755);
  return pathToFileURL(file).toString();
};
const fromShellcheck = (ds: Diagnostic[]) => ds.filter((d) => d.source === 'shellcheck');

suite('ShellCheck over stdio', () => {
  let client: LspClient;
  const logs: LogMessageParams[] = [];
  const logWaiters: ((p: LogMessageParams) => void)[] = [];
  /** The next log line matching `pattern`, with a deadline. */
  const nextLog = (pattern: RegExp, timeoutMs = 10_000): Promise<LogMessageParams> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no log line like ${pattern} within ${timeoutMs} ms; got ${JSON.stringify(logs)}`)),
        timeoutMs,
      );
      logWaiters.push((p) => {
        if (!pattern.test(p.message)) return;
        clearTimeout(timer);
        resolve(p);
      });
    });

  before(async () => {
    client = await LspClient.start(work);
    client.connection.onNotification(LogMessageNotification.type, (p) => {
      logs.push(p);
      for (const w of logWaiters) w(p);
    });
  });
  after(async () => {
    assert.equal(await client.stop(), 0, 'the server exits cleanly');
    fs.rmSync(work, { recursive: true, force: true });
  });

  const text = '#!/bin/sh\necho $1\n';
  const uri = write('OnConnect_x.sh', text);

  test("CRLF line ends are one problem, HS407: ShellCheck's SC1017 on each line is not shown, its other findings are", async () => {
    const crlf = '#!/bin/sh\r\necho $1\r\nlogger up\r\n';
    fs.mkdirSync(path.join(work, 'crlf'), { recursive: true });
    const crlfUri = write('crlf/OnConnect_crlf.sh', crlf);
    const checked = client.diagnostics(crlfUri, (d) => fromShellcheck(d).length > 0);
    await client.open(crlfUri, crlf, 1, 'shellscript');
    await client.save(crlfUri);
    assert.deepEqual(
      fromShellcheck((await checked).diagnostics).map((d) => d.code),
      ['SC2086'],
    );
    const all = await client.forVersion(crlfUri, 1);
    assert.deepEqual(
      all.diagnostics.filter((d) => d.source === 'hooksmith').map((d) => d.code),
      ['HS407'],
    );
  });

  test('a saved AnyConnect hook gets SC2086 from ShellCheck, with a quick fix that quotes "$1"', async () => {
    const checked = client.diagnostics(uri, (d) => fromShellcheck(d).length > 0);
    await client.open(uri, text, 1, 'shellscript');
    await client.save(uri);
    const published = await checked;
    assert.equal(published.version, 1);
    const [d, ...rest] = fromShellcheck(published.diagnostics);
    assert.deepEqual(rest, []);
    assert.equal(d.code, 'SC2086');
    assert.deepEqual(d.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 7 } });
    assert.equal(d.codeDescription?.href, 'https://www.shellcheck.net/wiki/SC2086');

    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Fix SC2086'));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const edits = fix.edit?.changes?.[uri] ?? [];
    assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'shellscript', 1, text), edits), '#!/bin/sh\necho "$1"\n');
  });

  test('as you type, the finding goes once the text is fixed', async () => {
    const fixed = client.diagnostics(uri, (d, version) => version === 2 && fromShellcheck(d).length === 0);
    await client.change(uri, 2, [{ range: { start: { line: 1, character: 5 }, end: { line: 1, character: 7 } }, text: '"$1"' }]);
    await fixed;
  });

  test('ShellCheck findings past hooksmith.validate.maxProblems are one HS113 on the first left out', async () => {
    client.settings = { validate: { maxProblems: 10 } };
    await client.configurationChanged();
    const many = `#!/bin/sh\n${Array.from({ length: 30 }, (_, i) => `echo $${(i % 9) + 1}\n`).join('')}`;
    const manyUri = write('OnConnect_many.sh', many);
    const checked = client.diagnostics(manyUri, (d) => fromShellcheck(d).length > 0);
    await client.open(manyUri, many, 1, 'shellscript');
    await client.save(manyUri);
    const { diagnostics } = await checked;
    assert.deepEqual(
      fromShellcheck(diagnostics).map((d) => [d.code, d.range.start.line]),
      Array.from({ length: 10 }, (_, i) => ['SC2086', i + 1]),
    );
    const note = diagnostics.filter((d) => d.code === 'HS113');
    assert.equal(note.length, 1, JSON.stringify(diagnostics));
    assert.equal(
      note[0].message,
      '20 more ShellCheck problems from here on are not shown: only the first 10 are (setting hooksmith.validate.maxProblems).',
    );
    assert.deepEqual(note[0].range.start, { line: 11, character: 5 });
    const cleared = client.diagnostics(manyUri, (d) => d.length === 0);
    await client.close(manyUri);
    await cleared;
    client.settings = {};
    await client.configurationChanged();
  });

  test('a missing ShellCheck is logged, publishes nothing, and is tried again after a configuration change', async () => {
    client.settings = { shellcheck: { path: path.join(work, 'no-such-shellcheck') } };
    const logged = nextLog(/ShellCheck not found/);
    await client.configurationChanged();
    await logged;
    const other = write('OnDisconnect_y.sh', text);
    await client.open(other, text, 1, 'shellscript');
    const { diagnostics } = await client.forVersion(other, 1);
    assert.deepEqual(fromShellcheck(diagnostics), []);
    assert.equal(await client.nothingPublished(other), true, 'no ShellCheck diagnostics follow');
    assert.equal(logs.filter((l) => /ShellCheck not found/.test(l.message)).length, 1, 'one line, not one per document');
    assert.ok(client.alive);

    const rechecked = client.diagnostics(other, (d) => fromShellcheck(d).some((x) => x.code === 'SC2086'));
    client.settings = {};
    await client.configurationChanged();
    await rechecked;
  });
});
