import { createRequire } from 'node:module';

/**
 * A fresh instance of web-tree-sitter's CommonJS glue, which keeps its WebAssembly instance in
 * module state: a fresh require gives a fresh instance. The bundles do not run this file: the
 * build puts the glue's source inside them as a function (scripts/build.mjs, inlineShellGlue), so
 * that the CLI's code cache covers it too (compiling it from the .cjs file cost each `hooksmith lint`
 * about 8 ms); calling that function is the fresh require.
 */
export function freshGlue(file: string): unknown {
  const load = createRequire(file);
  const key = load.resolve(file); // the cache is keyed by real path
  delete load.cache[key];
  const glue = load(key) as unknown;
  delete load.cache[key];
  return glue;
}
