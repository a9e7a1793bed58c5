import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { build } from 'esbuild';

// scripts/bundlePlugins.mjs, as the server-side bundles use it.
const root = path.resolve(__dirname, '../../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-bundle-plugins-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

interface Bundled {
  readonly sameFs: boolean;
  readonly readFile: string;
  readonly joined: string;
  readonly moduleIsNodes: boolean;
  readonly osByRequire: boolean;
}

/** Bundles a small program whose two files import node modules the ways the sources do, and runs it. */
async function bundleAndRun(): Promise<{ result: Bundled; code: string }> {
  const { sharedBuiltinNamespaces } = (await import(path.join(root, 'scripts/bundlePlugins.mjs'))) as {
    sharedBuiltinNamespaces: import('esbuild').Plugin;
  };
  fs.writeFileSync(path.join(work, 'a.ts'), "import * as fs from 'node:fs';\nexport { fs };\n");
  fs.writeFileSync(
    path.join(work, 'b.ts'),
    "import * as fs from 'node:fs';\nimport { join } from 'node:path';\nimport Module from 'node:module';\n" +
      'export { fs, join, Module };\n',
  );
  fs.writeFileSync(
    path.join(work, 'main.ts'),
    "import * as a from './a';\nimport * as b from './b';\n" +
      'export const result = { sameFs: a.fs === b.fs, readFile: typeof b.fs.readFileSync, joined: b.join("x", "y"), ' +
      "moduleIsNodes: b.Module === require('node:module'), osByRequire: require('node:os') === require('os') };\n",
  );
  const out = await build({
    entryPoints: [path.join(work, 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    plugins: [sharedBuiltinNamespaces],
  });
  const code = out.outputFiles[0].text;
  const module = { exports: {} as { result: Bundled } };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return { result: module.exports.result, code };
}

test("every file's `import * as fs` gets the same namespace of node:fs, and default and named imports still work", async () => {
  const { result, code } = await bundleAndRun();
  assert.deepEqual(result, { sameFs: true, readFile: 'function', joined: path.join('x', 'y'), moduleIsNodes: true, osByRequire: true });
  // One copy of node:fs's exports for the whole bundle, not one per importing file (esbuild's __toESM).
  assert.doesNotMatch(code, /__toESM\(/);
});
