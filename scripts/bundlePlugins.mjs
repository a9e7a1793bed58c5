// esbuild plugins of the server-side bundles (dist/server.js, dist/hooksmith-cli.js), for start-up:
// what a short `hooksmith lint` spends before its first finding.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// web-tree-sitter's CommonJS glue keeps its WebAssembly instance in module state, so the parser
// needs a fresh copy after a fault (server/src/shell/glue.ts requires the .cjs file afresh). In a
// bundle, shell/glue.ts becomes the glue's own source wrapped in a function: each call runs it
// anew (the fresh copy), and the code is the bundle's, so the CLI's V8 code cache holds it.
export const inlineShellGlue = {
  name: 'inline-shell-glue',
  setup(build) {
    build.onLoad({ filter: /[\\/]server[\\/]src[\\/]shell[\\/]glue\.ts$/ }, () => {
      // Its two direct evals turn a side module's EM_ASM/EM_JS text into functions; tree-sitter-bash has
      // none, and a direct eval in a bundle would see (and keep unminified) every top-level name.
      const source = readFileSync('node_modules/web-tree-sitter/web-tree-sitter.cjs', 'utf8')
        .replace(/^\/\/# sourceMappingURL=.*$/m, '')
        .replaceAll('= eval(func);', '= (0, eval)(func);');
      const contents = `export function freshGlue() {
  const module = { exports: {} };
  (function (exports, module) {
${source}
  })(module.exports, module);
  return module.exports;
}`;
      return { contents, loader: 'js' };
    });
  },
};

// `import * as fs from 'node:fs'` becomes `__toESM(require("node:fs"))` in a bundle: a copy of the
// module's ~100 exports as getters, once per importing file. The bundles have about 90 such
// imports, which cost a CLI start 5 to 15 ms. Here every import statement of a node module goes
// through one ES module per node module that re-exports it: one copy per node module, shared.
// require() calls and type-only imports are left alone; `import x from` still gets the module itself.
export const sharedBuiltinNamespaces = {
  name: 'shared-builtin-namespaces',
  setup(build) {
    build.onResolve({ filter: /^node:[a-z0-9_/]+$/ }, (args) =>
      args.kind === 'import-statement' && args.namespace !== 'node-builtin' ? { path: args.path, namespace: 'node-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => {
      const id = JSON.stringify(args.path);
      if (lazyBuiltins.includes(args.path)) return { contents: lazyNamespace(args.path), loader: 'js' };
      return { contents: `const m = require(${id});\nexport default m;\nexport * from ${id};\n`, loader: 'js' };
    });
  },
};

// Node modules that only some commands use, loaded on first use instead of at start-up: child_process
// (with net and dgram, which it loads) costs a `hooksmith lint` of a profile, which starts no process,
// several milliseconds of its start-up. The namespace is a CommonJS object of getters, one per export
// (as this node lists them), so what an importer reads is the module's own value, once it is loaded.
const lazyBuiltins = ['node:child_process', 'node:net'];

function lazyNamespace(id) {
  const names = Object.keys(createRequire(import.meta.url)(id)).filter((name) => name !== 'default');
  const getters = names.map((name) => `  get ${JSON.stringify(name)}() { return load()[${JSON.stringify(name)}]; },`).join('\n');
  const load = `let m;\nconst load = () => (m ??= require(${JSON.stringify(id)}));\n`;
  return `${load}module.exports = {\n  get default() { return load(); },\n${getters}\n};\n`;
}
