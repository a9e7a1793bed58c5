import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * Runs the CommonJS bundle `file` as the main module, compiled with V8's code cache when one is
 * in `cacheDir`: a short process (`hooksmith lint` of one hook) otherwise spends a large part of
 * its life parsing and compiling the bundle. Node 20 has no compile cache of its own
 * (module.enableCompileCache is Node 22). The cache is written after the first run, with every
 * function that run compiled; it is named for the bundle's size, time and inode and for node's
 * version, as V8 checks only the source's length. V8 rejects a cache of another V8 or other
 * flags, and a rejected or missing cache is written again. A cache folder that cannot be written
 * (a read-only install) only means no cache.
 */
export function runWithCodeCache(file: string, cacheDir: string): void {
  const source = fs.readFileSync(file, 'utf8');
  const stat = fs.statSync(file);
  const cacheFile = path.join(
    cacheDir,
    `${path.basename(file)}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${stat.ino}-${process.version}-${process.arch}.v8cache`,
  );
  const cachedData = readCache(cacheFile);
  // The bundle's shebang line is not JavaScript; a comment keeps line numbers in stack traces.
  const script = new vm.Script(Module.wrap(source.replace(/^#!/, '//')), { filename: file, cachedData });
  const main = new Module(file, module);
  main.filename = file;
  main.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  main.loaded = true;
  const bundleRequire = Module.createRequire(file);
  bundleRequire.main = main; // the bundle runs its CLI when `require.main === module`
  if (!cachedData || script.cachedDataRejected) process.once('beforeExit', () => writeCache(cacheFile, script));
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    main.exports,
    main.exports,
    bundleRequire,
    main,
    file,
    path.dirname(file),
  );
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Written beside, then renamed: a run starting meanwhile reads the old cache or the new, never half of one. */
function writeCache(cacheFile: string, script: vm.Script): void {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(partial, script.createCachedData());
    fs.renameSync(partial, cacheFile);
  } catch {
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // no folder to leave it in either
    }
  }
}
