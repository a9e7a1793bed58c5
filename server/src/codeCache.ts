import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * Runs the CommonJS bundle `file` as the main module, compiled with V8's code cache when one is
 * in `cacheDir`: a short process (`hooksmith lint` of one hook) otherwise spends a large part of
 * its life parsing and compiling the bundle. Node 20 has no compile cache of its own
 * (module.enableCompileCache is Node 22). The cache is written after a run, with every function
 * that run compiled (and those it read from the cache); it is named for the bundle's size, time
 * and inode and for node's version, as V8 checks only the source's length. V8 rejects a cache of
 * another V8 or other flags, and a rejected or missing cache is written again. A cache folder that
 * cannot be written (a read-only install) only means no cache.
 *
 * A cache holds only what the runs that wrote it compiled: one written by `hooksmith simulate`
 * misses most of what `lint` runs, and one written by a lint of a hook misses the XML scanner a
 * lint of a profile runs. So the cache records which kinds of run it covers (`keys`: the command,
 * and what the run says it did, asked once it is over), and a run of a kind it does not cover
 * writes it again, covering both; at most maxKeys kinds, so that arbitrary words given as a
 * command cannot make every run write it. Writing it removes the caches of earlier builds of the bundle.
 */
export function runWithCodeCache(file: string, cacheDir: string, keys: string | ((bundleExports: unknown) => string[]) = ''): void {
  const source = readSource(file);
  const stat = fs.statSync(file);
  const bundle = `${path.basename(file)}-`;
  const build = `${bundle}${stat.size}-${Math.trunc(stat.mtimeMs)}-${stat.ino}-`;
  const cacheFile = path.join(cacheDir, `${build}${process.version}-${process.arch}.v8cache`);
  const cache = readCache(cacheFile);
  // The bundle's shebang line is not JavaScript; a comment keeps line numbers in stack traces.
  const code = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new vm.Script(Module.wrap(code), { filename: file, cachedData: cache?.data });
  const main = new Module(file, module);
  main.filename = file;
  main.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  main.loaded = true;
  const bundleRequire = Module.createRequire(file);
  bundleRequire.main = main; // the bundle runs its CLI when `require.main === module`
  const covers = cache && !script.cachedDataRejected ? cache.keys : [];
  if (covers.length < maxKeys) {
    process.once('beforeExit', () => {
      const missing = [...new Set(typeof keys === 'string' ? [keys] : keys(main.exports))].filter((k) => !covers.includes(k));
      if (missing.length) writeCache(cacheFile, script, [...covers, ...missing].slice(0, maxKeys), { bundle, build });
    });
  }
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    main.exports,
    main.exports,
    bundleRequire,
    main,
    file,
    path.dirname(file),
  );
}

/**
 * The bundle's text. The build escapes every character past ASCII, and an ASCII file read as
 * Latin-1 is the same text: node copies its bytes, where decoding the 1.2 MB bundle as UTF-8 took
 * 2 ms of every run. Any other file is decoded as UTF-8.
 */
function readSource(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** The most kinds of run one cache records (hooksmith has a handful of commands). */
export const maxKeys = 12;

/**
 * A cache file is one line naming the kinds of run it covers, JSON, then V8's data: one file,
 * so that a reader never pairs the data of one writer with the list of another.
 */
function readCache(cacheFile: string): { keys: string[]; data: Buffer } | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  try {
    const keys: unknown = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return undefined;
    return { keys, data: bytes.subarray(newline + 1) };
  } catch {
    return undefined; // a cache of an older layout: written again
  }
}

/** How the caches of this bundle's file name start, and those of this build of it. */
interface CacheNames {
  readonly bundle: string;
  readonly build: string;
}

/** Written beside, then renamed: a run starting meanwhile reads the old cache or the new, never half of one. */
function writeCache(cacheFile: string, script: vm.Script, keys: readonly string[], names: CacheNames): void {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(partial, Buffer.concat([Buffer.from(`${JSON.stringify(keys)}\n`), script.createCachedData()]));
    fs.renameSync(partial, cacheFile);
    pruneOthers(path.dirname(cacheFile), path.basename(cacheFile), names);
  } catch {
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // no folder to leave it in either
    }
  }
}

/**
 * Removes the caches of other builds of the bundle (each rebuild or update made one, and nothing
 * read them again), and partial files a killed run left. Caches of this build for another node
 * stay: two node versions may take turns running the same install.
 */
function pruneOthers(cacheDir: string, kept: string, { bundle, build }: CacheNames): void {
  const stale = Date.now() - 60_000;
  for (const name of fs.readdirSync(cacheDir)) {
    if (name === kept || !name.startsWith(bundle) || !name.includes('.v8cache')) continue;
    const file = path.join(cacheDir, name);
    const partial = !name.endsWith('.v8cache');
    if (partial ? fs.statSync(file).mtimeMs < stale : !name.startsWith(build)) fs.rmSync(file, { force: true });
  }
}
