// Bundles the three entry points with esbuild. `--tests` also transpiles test/ and bench/ to out/.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { HOOKSMITH_VERSION: JSON.stringify(version) },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);

if (process.argv.includes('--tests')) {
  rmSync('out', { recursive: true, force: true });
  const sources = ['server/src', 'test', 'bench'].flatMap((dir) => listTs(dir));
  await esbuild.build({ ...common, bundle: false, entryPoints: sources, outdir: 'out', outbase: '.', sourcemap: 'inline' });
}

function listTs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'fixtures' ? [] : listTs(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}
