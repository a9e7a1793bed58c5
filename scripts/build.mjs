// Bundles the three entry points with esbuild. `--tests` also transpiles test/ and bench/ to out/;
// `--tests-only` does that alone (npm run test:unit: its tests import the sources, not the bundles).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inlineShellGlue, sharedBuiltinNamespaces } from './bundlePlugins.mjs';

const { version, repository } = JSON.parse(readFileSync('package.json', 'utf8'));
// The rule pages of this version on the repository's web page, for SARIF's helpUri.
const docsBase = `${repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/blob/v${version}/docs/rules/`;
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { HOOKSMITH_VERSION: JSON.stringify(version), HOOKSMITH_DOCS_BASE: JSON.stringify(docsBase) },
};
// The ESM build of web-tree-sitter reads import.meta.url, which a CommonJS bundle lacks.
const bundled = {
  ...common,
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
  plugins: [inlineShellGlue],
};
// The language server's and the CLI's: their start-up is what a user waits for.
const serverSide = { ...bundled, plugins: [inlineShellGlue, sharedBuiltinNamespaces] };

const testsOnly = process.argv.includes('--tests-only');
await Promise.all(
  testsOnly
    ? []
    : [
        // Banner and footer time the evaluation of the bundle, so activation time can include loading it.
        esbuild.build({
          ...bundled,
          entryPoints: ['client/src/extension.ts'],
          outfile: 'dist/extension.js',
          external: ['vscode'],
          banner: { js: 'globalThis.__hooksmithLoadStart = performance.now();' },
          footer: { js: 'globalThis.__hooksmithLoadEnd = performance.now();' },
        }),
        esbuild.build({ ...bundled, entryPoints: ['client/src/startClient.ts'], outfile: 'dist/languageClient.js', external: ['vscode'] }),
        esbuild.build({ ...serverSide, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
        // The CLI speaks no LSP: what its modules take from vscode-languageserver are the protocol's value
        // types (DiagnosticSeverity, TextEdit, ...), which vscode-languageserver-types holds alone. The
        // whole server library (JSON-RPC, its transports) was half the bundle and a third of start-up.
        // An import of anything else (Connection, TextDocuments) fails this build instead of loading it.
        esbuild.build({
          ...serverSide,
          entryPoints: ['server/src/cli.ts'],
          outfile: 'dist/hooksmith-cli.js',
          alias: { ...bundled.alias, 'vscode-languageserver': 'vscode-languageserver-types' },
          // No comments, even in a development build: esbuild keeps some (in class bodies), and one
          // non-ASCII character makes the whole 1 MB source a two-byte string in V8 (twice the bytes
          // to decode, copy and hold on every run). Strings are escaped to ASCII anyway (charset).
          minifyWhitespace: true,
        }),
        // `hooksmith` itself: a few lines that run dist/hooksmith-cli.js through V8's code cache (codeCache.ts).
        esbuild.build({
          ...common,
          entryPoints: ['server/src/cliEntry.ts'],
          outfile: 'dist/cli.js',
          banner: { js: '#!/usr/bin/env node' },
        }),
        // The npm package's `hooksmith-language-server`: a few lines that load dist/server.js beside it.
        esbuild.build({
          ...common,
          entryPoints: ['server/src/languageServer.ts'],
          outfile: 'dist/languageServer.js',
          external: ['./server.js'],
          banner: { js: '#!/usr/bin/env node' },
        }),
      ],
);

// The shell parser's files (web-tree-sitter 0.27 runtime, tree-sitter-bash 0.25 grammar).
mkdirSync('dist', { recursive: true });
// Code caches of the bundles just replaced (see server/src/codeCache.ts).
rmSync('dist/v8-cache', { recursive: true, force: true });
copyFileSync('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', 'dist/tree-sitter-bash.wasm');
// The runtime goes in already metered against that grammar (server/src/shell/wasmFuel.ts): working out
// where to count, from its call graph, would otherwise add tens of ms to the start of every process.
const fuel = await esbuild.build({
  ...common,
  entryPoints: ['server/src/shell/wasmFuel.ts'],
  format: 'esm',
  sourcemap: false,
  write: false,
});
const { meteredRuntime } = await import(`data:text/javascript;base64,${Buffer.from(fuel.outputFiles[0].contents).toString('base64')}`);
const runtimeWasm = meteredRuntime(
  readFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm'),
  readFileSync('dist/tree-sitter-bash.wasm'),
);
writeFileSync('dist/web-tree-sitter.wasm', runtimeWasm);
// Its glue, for the unbundled sources (out/, the tests) only: server/src/shell/glue.ts requires it afresh after a fault.
// The bundles hold it inlined (inlineShellGlue), so the package and the .vsix leave this copy out.
copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.cjs', 'dist/web-tree-sitter.cjs');

if (testsOnly || process.argv.includes('--tests')) {
  rmSync('out', { recursive: true, force: true });
  const sources = ['server/src', 'client/src', 'test', 'bench'].flatMap((dir) => listTs(dir));
  await esbuild.build({ ...common, bundle: false, entryPoints: sources, outdir: 'out', outbase: '.', sourcemap: 'inline' });
  // Data tables the sources import (the bundles inline them; the transpiled tree requires them beside it).
  for (const file of listFiles('server/src', '.json')) {
    mkdirSync(join('out', dirname(file)), { recursive: true });
    copyFileSync(file, join('out', file));
  }
}

if (process.argv.includes('--e2e')) {
  rmSync('out-e2e', { recursive: true, force: true });
  const sources = [...listTs('test/e2e/suite'), 'test/e2e/runTest.ts'];
  await esbuild.build({ ...common, bundle: false, entryPoints: sources, outdir: 'out-e2e', outbase: 'test/e2e', sourcemap: 'inline' });
}

function listTs(dir) {
  return listFiles(dir, '.ts');
}

function listFiles(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    // test/e2e runs inside VS Code (it imports 'vscode'): built by --e2e into out-e2e/, never into out/.
    if (statSync(full).isDirectory()) return name === 'fixtures' || full === join('test', 'e2e') ? [] : listFiles(full, ext);
    return full.endsWith(ext) ? [full] : [];
  });
}
