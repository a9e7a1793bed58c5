import * as assert from 'node:assert/strict';
import { before, describe as suite, test } from 'node:test';
import { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configShellcheckPlan } from '../../../../server/src/config/configDocs';
import { loadShellParser } from '../../../../server/src/shell/parser';
import { checkPlan } from '../../../../server/src/shellcheck/check';
import { ShellcheckFixData } from '../../../../server/src/shellcheck/diagnostics';
import { marked } from '../../../helpers/marked';

before(loadShellParser);

/** The real ShellCheck's diagnostics on a wg-quick config's hook lines, as the editor and the CLI get them. */
async function check(text: string): Promise<{ doc: TextDocument; diagnostics: Diagnostic[] }> {
  const doc = TextDocument.create('file:///etc/wireguard/wg0.conf', 'properties', 3, text);
  const result = await checkPlan(doc, configShellcheckPlan('/etc/wireguard/wg0.conf', text), {
    executable: 'shellcheck',
    timeoutMs: 60_000,
  });
  assert.equal(result.kind, 'diagnostics', JSON.stringify(result));
  return { doc, diagnostics: result.kind === 'diagnostics' ? result.diagnostics : [] };
}

/** Asserts one diagnostic of `code` over the marked span of `source` (the text without the markers). */
function assertAt(doc: TextDocument, diagnostics: Diagnostic[], code: string, source: string, spanIndex = 0): Diagnostic {
  const withCode = diagnostics.filter((d) => d.code === code);
  assert.equal(withCode.length, 1, `one ${code}: ${JSON.stringify(diagnostics.map((d) => [d.code, d.range]))}`);
  const span = marked(source).spans[spanIndex];
  assert.deepEqual(
    { start: doc.offsetAt(withCode[0].range.start), end: doc.offsetAt(withCode[0].range.end) },
    { start: span.start, end: span.end },
  );
  return withCode[0];
}

const head = '[Interface]\nAddress = 10.99.0.1/24\n';

suite('ShellCheck on the hook lines of a wg-quick config', () => {
  test('a finding after %i sits at its column in the value', async () => {
    const source = `${head}PostUp = iptables -A FORWARD -i %i -j ACCEPT; echo «$1»\n`;
    const { doc, diagnostics } = await check(marked(source).text);
    assertAt(doc, diagnostics, 'SC2086', source);
  });

  test('a value after leading blanks, with CRLF line ends and text of several code units before it', async () => {
    const source = `${head}   PostDown   =    logger "wg 😀 é"; echo «$1»\n`.replace(/\n/g, '\r\n');
    const { doc, diagnostics } = await check(marked(source).text);
    assertAt(doc, diagnostics, 'SC2086', source);
  });

  test("a line with a stray quote is left to Hooksmith's HS652 and does not hide the lines after it", async () => {
    const source = `${head}PreUp = echo "oops\nPostUp = [ -n «$x» ]\n`;
    const { doc, diagnostics } = await check(marked(source).text);
    assertAt(doc, diagnostics, 'SC2070', source);
    const onStray = diagnostics.filter((d) => d.range.start.line === 2);
    assert.deepEqual(onStray, []);
  });

  test("ShellCheck's fix edits the value in place", async () => {
    const source = `${head}PostUp = echo «$1»\n`;
    const { doc, diagnostics } = await check(marked(source).text);
    const d = assertAt(doc, diagnostics, 'SC2086', source);
    const fixed = TextDocument.applyEdits(doc, (d.data as ShellcheckFixData).edits);
    assert.equal(fixed, `${head}PostUp = echo "$1"\n`);
  });

  test('lines outside [Interface] are not shell wg-quick runs: not checked', async () => {
    const text = `${head}PostUp = echo ok\n[Peer]\nPostUp = echo $1\n`;
    const { diagnostics } = await check(text);
    assert.deepEqual(diagnostics, []);
  });
});
