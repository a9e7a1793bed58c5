import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '../../..');

/**
 * What the .vsix and the npm package may hold (.vscodeignore and package.json's `files`, the same list):
 * what runs (the extension, the server, the CLI, the grammar) and what is read (docs, manifest, icon).
 */
const shippedFiles = [
  String.raw`dist\/(extension|languageClient|cli|hooksmith-cli|server|languageServer)\.js`,
  String.raw`dist\/[\w-]+\.wasm`,
  String.raw`docs\/rules\/[\w.-]+\.md`,
  String.raw`(syntaxes|snippets|schemas)\/[\w.-]+\.json`,
  String.raw`language-configuration\.json|images\/icon\.png|package\.json|README\.md|LICENSE|CHANGELOG\.md`,
];
export const shipped = new RegExp(`^(${shippedFiles.join('|')})$`);
const npm = path.join(path.dirname(process.execPath), 'npm');
const npmCommand = fs.existsSync(npm) ? npm : 'npm';

/**
 * npm's environment without what `npm test` passes down (npm_config_* would point the inner npm at
 * the project), offline, with an empty cache and a registry that refuses connections: a step that
 * needed the network fails at once instead of passing on what the machine happens to have.
 */
export function offlineNpmEnv(cache: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return {
    ...env,
    npm_config_cache: cache,
    npm_config_offline: 'true',
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

export function runNpm(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(npmCommand, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

export interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
}

/**
 * `npm pack` of the project as it stands (dist/ from the build `npm test` just ran; --ignore-scripts
 * skips prepack's production build, which would rewrite dist/ under the other tests' feet).
 */
export function pack(into: string): Packed {
  const r = runNpm(['pack', '--ignore-scripts', '--json', '--pack-destination', into], root, offlineNpmEnv(path.join(into, 'npm-cache')));
  if (r.status !== 0) throw new Error(`npm pack failed (${r.status}): ${r.stderr}`);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: path.join(into, info.filename), files: info.files.map((f) => f.path) };
}

/** Installs the tarball into an empty folder with no network; returns the folder's node_modules/.bin. */
export function installOffline(tarball: string, folder: string): string {
  fs.mkdirSync(folder, { recursive: true });
  const r = runNpm(['install', '--offline', '--no-package-lock', tarball], folder, offlineNpmEnv(path.join(folder, '.npm-cache')));
  if (r.status !== 0) throw new Error(`npm install --offline of ${tarball} failed (${r.status}): ${r.stderr}`);
  return path.join(folder, 'node_modules', '.bin');
}
