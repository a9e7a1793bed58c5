// Random incremental edits against a full re-sync of the same text: the server must see the same
// text either way, so every diagnostic (and the outline and folding of a profile) must match.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import fc from 'fast-check';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../../helpers/lspClient';
import { changeSpecs, concreteChanges, nothingReached } from './edits';
import { assertAnswers, copyExamples, examples, sorted, tempDir, uriOf } from './support';

const seed = 20_250_607;
const runsPerDocument = 3;
const changesPerRun = 100; // didChange notifications of one to three edits: about 200 edits per run

interface Subject {
  readonly name: string;
  /** Path under examples/. */
  readonly file: string;
  readonly languageId: string;
  readonly kind: 'profile' | 'hook';
  /** A hook's shebang picks ShellCheck's dialect; edits keep it so that ShellCheck always has something to say. */
  readonly keepFirstLine?: boolean;
}

const subjects: readonly Subject[] = [
  { name: 'the corporate profile', file: 'anyconnect/corporate.xml', languageId: 'anyconnect-profile', kind: 'profile' },
  { name: 'the minimal profile', file: 'minimal.xml', languageId: 'anyconnect-profile', kind: 'profile' },
  { name: 'the profile copied from the web', file: 'mistakes/copied-from-the-web.xml', languageId: 'anyconnect-profile', kind: 'profile' },
  {
    name: 'an AnyConnect OnConnect hook',
    file: 'anyconnect/script/OnConnect_routes.sh',
    languageId: 'shellscript',
    kind: 'hook',
    keepFirstLine: true,
  },
  { name: 'a Shorewall run-time hook', file: 'mistakes/shorewall/start', languageId: 'shellscript', kind: 'hook' },
];

/** The example with characters outside the BMP (so that edits can split them) and, if asked, CRLF line ends. */
function initialText(subject: Subject, crlf: boolean): string {
  const text = fs.readFileSync(path.join(examples, subject.file), 'utf8');
  const marked = text + (subject.kind === 'profile' ? '<!-- 🛡 𝄞 -->\n' : '# 🛡 𝄞 done\n');
  return crlf ? marked.replace(/\r?\n/g, '\r\n') : marked;
}

suite('incremental edits against a full re-sync', () => {
  let client: LspClient;
  const work = tempDir('incremental');
  let run = 0;
  before(async () => {
    client = await LspClient.start(); // no workspace folder: no scan publishes beside the documents
  });
  after(async () => {
    assert.equal(await client.stop(), 0, 'the server exits cleanly');
    fs.rmSync(work, { recursive: true, force: true });
  });

  /**
   * The diagnostics of `version` once every producer is done. ShellCheck runs after a pause in
   * typing; a hook always ends with `echo $1` (or is broken), so it always reports something.
   */
  function settled(uri: string, version: number, subject: Subject): Promise<PublishDiagnosticsParams> {
    if (subject.kind === 'profile') return client.forVersion(uri, version);
    return client.diagnostics(uri, (ds, v) => v === version && ds.some((d) => d.source === 'shellcheck'));
  }

  // Regression: the runner held the live document, which TextDocuments updates in place, so a run
  // on version 1 that ended after an edit was published as version 2, at version 1's lines.
  test("ShellCheck's findings are published under the version they were computed for", async () => {
    const dir = copyExamples(path.join(work, 'versions'));
    const uri = uriOf(path.join(dir, 'anyconnect/script/OnConnect_routes.sh'));
    // Long enough that ShellCheck is still busy with version 1 when version 2 arrives.
    const v1 = `#!/bin/sh\n${'echo "$HOME" "$PWD" | tr a b\n'.repeat(200)}echo $1\n`;
    const v2 = `#!/bin/sh\n# moved down a line\n${v1.slice(v1.indexOf('\n') + 1)}`;
    const texts = new Map([1, 2].map((v) => [v, TextDocument.create(uri, 'shellscript', v, v === 1 ? v1 : v2)]));
    const v1Published = client.forVersion(uri, 1);
    const v2Checked = client.diagnostics(uri, (ds, v) => v === 2 && ds.some((d) => d.code === 'SC2086'));
    await client.open(uri, v1, 1, 'shellscript');
    await v1Published; // settings are read: ShellCheck is running on version 1
    await client.change(uri, 2, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# moved down a line\n' },
    ]);
    await v2Checked;
    for (const p of client.published.filter((p) => p.uri === uri)) {
      for (const d of p.diagnostics.filter((d) => d.code === 'SC2086')) {
        assert.equal(
          texts.get(p.version as number)?.getText(d.range),
          '$1',
          `SC2086 published for version ${p.version} at ${JSON.stringify(d.range)}`,
        );
      }
    }
    await client.close(uri);
  });

  for (const subject of subjects) {
    test(
      `${subject.name}: ${runsPerDocument} random sequences of ~${changesPerRun * 2} edits give what a fresh open of ` +
        `the final text gives`,
      async () => {
        const reached = nothingReached();
        const sequence = fc.array(changeSpecs(subject.kind), { minLength: changesPerRun, maxLength: changesPerRun });
        const details = await fc.check(
          fc.asyncProperty(fc.boolean(), sequence, async (crlf, changes) => {
            // Each run in two fresh, identical copies of examples/: the edited document in one, its re-sync in the other.
            const [a, b] = ['a', 'b'].map((side) => copyExamples(path.join(work, `run-${++run}`, side)));
            const uriA = uriOf(path.join(a, subject.file));
            const uriB = uriOf(path.join(b, subject.file));
            const initial = initialText(subject, crlf);
            const model = TextDocument.create(uriA, subject.languageId, 1, initial);
            const floor = subject.keepFirstLine ? model.offsetAt({ line: 1, character: 0 }) : 0;

            await client.open(uriA, initial, 1, subject.languageId);
            let version = 1;
            for (const specs of changes) {
              version++;
              await client.change(uriA, version, concreteChanges(model, specs, version, reached, floor));
            }
            if (subject.kind === 'hook') {
              const end = model.positionAt(model.getText().length);
              version++;
              const sentinel = [{ range: { start: end, end }, text: '\necho $1\n' }];
              TextDocument.update(model, sentinel, version);
              await client.change(uriA, version, sentinel);
            }
            const text = model.getText();
            assert.equal(client.documents.get(uriA)?.getText(), text, 'the client helper and the model agree');

            const edited = await settled(uriA, version, subject);
            await client.open(uriB, text, 1, subject.languageId);
            const fresh = await settled(uriB, 1, subject);
            const context = `after ${version - 1} changes, final text ${JSON.stringify(text)}`;
            assert.deepEqual(sorted(edited.diagnostics), sorted(fresh.diagnostics), `diagnostics differ ${context}`);
            if (subject.kind === 'profile') {
              assert.deepEqual(await client.documentSymbols(uriA), await client.documentSymbols(uriB), `outline differs ${context}`);
              assert.deepEqual(await client.foldingRanges(uriA), await client.foldingRanges(uriB), `folding differs ${context}`);
            }
            await Promise.all([client.close(uriA), client.close(uriB)]);
          }),
          { seed, numRuns: runsPerDocument, endOnFailure: true },
        );
        if (details.failed) throw details.errorInstance; // the run's own assertion, without a 200-edit counterexample dump
        assert.ok(reached.splitSurrogates > 0, `some edits split a surrogate pair: ${JSON.stringify(reached)}`);
        assert.ok(reached.betweenCrLf > 0, `some positions fell between \\r and \\n: ${JSON.stringify(reached)}`);
        assert.ok(reached.beyondEnd > 0 && reached.negative > 0, `some positions lay outside the text: ${JSON.stringify(reached)}`);
        await assertAnswers(client, `after ${subject.name}'s sequences`);
      },
    );
  }
});
