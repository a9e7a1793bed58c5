import * as path from 'node:path';
import { runWithCodeCache } from './codeCache';
import { compileWasmForShortRun } from './shell/shortLivedTier';

// `hooksmith`: runs the CLI bundle (dist/hooksmith-cli.js) through V8's code cache in dist/v8-cache.
// The WebAssembly tier is set first, so that the flags V8 checks a cache against are always the same.
compileWasmForShortRun();
runWithCodeCache(path.join(__dirname, 'hooksmith-cli.js'), path.join(__dirname, 'v8-cache'));
