import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { largeProfile } from '../../../bench/generate';
import { Finding } from '../../../server/src/diagnostics';
import { lintProfile, lintProfileStreaming, ProfileLintOptions } from '../../../server/src/profile/lint';
import { ScriptFolders } from '../../../server/src/profile/scripts';
import { Dialect } from '../../../server/src/profile/validate';
import { profileTarget } from '../../fuzz/targets/profile';
import { largeProfileWithMistakes } from '../../helpers/largeProfileWithMistakes';

// The profile lint's findings, byte for byte, as recorded in test/fixtures/profiles/recorded-findings.txt:
// the bench's 4.86 MB profile (clean, and with a mistake every 97th HostEntry), every example and
// fixture profile, and 400 mutated profiles (the fuzz target's inputs, by a fixed seed). The
// scanner and the validators are tuned for speed; this is what says that a user sees the same
// findings as before. A change meant to alter findings re-records the file with
// HOOKSMITH_RECORD_FINDINGS=1 node --test out/test/server/profile/recorded.test.js, and its diff is reviewed.

const root = path.resolve(__dirname, '../../../..');
const recordFile = path.join(root, 'test/fixtures/profiles/recorded-findings.txt');
const dialects: readonly Dialect[] = ['auto', 'cisco', 'seed'];
const maxSize = 10 * 1024 * 1024;
const folder: ScriptFolders = {
  folders: ['/opt/cisco/secureclient/vpn/script'],
  find: (name) => (name === 'OnConnect_routes.sh' ? '/opt/cisco/secureclient/vpn/script' : undefined),
};

function line(f: Finding): string {
  const extra = [f.fix ? ` fix ${JSON.stringify(f.fix)}` : '', f.related ? ` related ${JSON.stringify(f.related)}` : ''].join('');
  return `  ${f.code} ${f.start}-${f.end} ${f.severity} ${JSON.stringify(f.message)}${extra}`;
}

/** What the CLI finds (no tree), after checking that the language server's way (the tree) finds the same. */
function findings(text: string, options: ProfileLintOptions, withTree: boolean): Finding[] {
  const streamed = lintProfileStreaming(text, options);
  if (withTree) assert.equal(JSON.stringify(lintProfile(text, options)), JSON.stringify(streamed), 'the tree and the stream agree');
  return streamed;
}

function exampleProfiles(): string[] {
  const files = ['examples', 'test/fixtures/profiles'].flatMap((dir) =>
    fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)),
  );
  return files.filter((f) => f.endsWith('.xml') && fs.readFileSync(path.join(root, f), 'utf8').includes('<AnyConnectProfile')).sort();
}

/** The record: a header per input, then its findings in full (or, for the mutated profiles, a digest of them). */
function record(): string {
  const out: string[] = [];
  const large = largeProfile();
  out.push(`## bench profile (${large.length} characters), auto`, ...findings(large, { dialect: 'auto', maxSize }, false).map(line));
  const mistakes = largeProfileWithMistakes();
  for (const dialect of dialects)
    out.push(`## bench profile with mistakes, ${dialect}`, ...findings(mistakes, { dialect, maxSize }, false).map(line));
  for (const file of exampleProfiles()) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const dialect of dialects) {
      out.push(`## ${file}, ${dialect}`, ...findings(text, { dialect, maxSize }, true).map(line));
      out.push(`## ${file}, ${dialect}, script folder`, ...findings(text, { dialect, maxSize, scriptFolders: folder }, true).map(line));
    }
  }
  out.push('## mutated profiles (fast-check seed 1616): case, findings, digest of their lines');
  fc.sample(profileTarget.arbitrary, { numRuns: 400, seed: 1616 }).forEach((input, i) => {
    const options = { dialect: input.dialect, maxSize: input.maxSize, scriptFolders: input.scripts && folder };
    const lines = findings(input.text, options, true).map(line);
    out.push(`  case ${i}: ${lines.length} ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`);
  });
  return out.join('\n') + '\n';
}

test('the profile lint finds what is recorded, byte for byte: the bench profile, the examples and 400 mutated profiles', () => {
  const now = record();
  if (process.env.HOOKSMITH_RECORD_FINDINGS === '1') fs.writeFileSync(recordFile, now);
  const recorded = fs.readFileSync(recordFile, 'utf8');
  if (now === recorded) return;
  const a = recorded.split('\n');
  const b = now.split('\n');
  const at = a.findIndex((l, i) => l !== b[i]);
  const header = (lines: string[]): string =>
    lines
      .slice(0, at + 1)
      .reverse()
      .find((l) => l.startsWith('## ')) ?? '';
  assert.fail(`first difference at line ${at + 1} (${header(a)}):\n  recorded: ${a[at]}\n  now:      ${b[at]}`);
});
