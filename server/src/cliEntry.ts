import * as path from 'node:path';
import { runWithCodeCache } from './codeCache';
import { tuneV8ForShortRun } from './cli/shortRunV8';
import { compileWasmForShortRun } from './shell/shortLivedTier';

// `hooksmith`: runs the CLI bundle (dist/hooksmith-cli.js) through V8's code cache in dist/v8-cache.
// The WebAssembly tier is set first, so that the flags V8 checks a cache against are always the same.
compileWasmForShortRun();
tuneV8ForShortRun();
// Each command compiles its own part of the bundle, and a lint its own part for each kind of file
// (the XML scanner for a profile, the shell parser's glue for a hook): the cache records which ones it covers.
const command = process.argv[2];
const kind = command === 'lint' || command === 'simulate' || command === 'test' ? command : 'other';
runWithCodeCache(path.join(__dirname, 'hooksmith-cli.js'), path.join(__dirname, 'v8-cache'), (cli) => {
  const linted = (cli as { lintedKinds?: () => readonly string[] }).lintedKinds?.() ?? [];
  return linted.length ? linted.map((k) => `${kind}:${k}`) : [kind];
});
// A finished run ends at once, with the status it set, instead of node tearing its heap down first
// (a large profile's text and all that was made of it). beforeExit comes when nothing is pending any
// more (the output written, child processes reaped), and after the code cache above is written.
process.once('beforeExit', () => process.exit());
