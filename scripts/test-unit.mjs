// `npm run test:unit`: the rule, scanner, schema and settings tests alone (no processes, no
// language server, no VS Code), run in this one process so the shell parser loads once; `npm test`
// runs them too, with every other tier. They are chosen by where they live, so a new family's rule
// tests (test/server/families/<id>/) join by themselves and its simulate/ tests stay out.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join('out', 'test', 'server'); // compiled by scripts/build.mjs --tests
const unit = [
  'xml',
  'profile',
  'hooks',
  'families',
  'shell',
  'shellcheck',
  'text',
  'globs',
  'cli',
  'protocol',
  'settings.test.js',
  'diagnostics.test.js',
  'capFindings.test.js',
  'generated.test.js',
];
/** Tests that spawn processes (hooks, ShellCheck) or fault the shell parser on purpose. */
const notUnit = [/[\\/]simulate[\\/]/, /[\\/]shellcheck[\\/](process|runner)\.test\.js$/, /[\\/]shell[\\/]runtime\.test\.js$/];

const files = (path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .flatMap((name) => files(join(path, name)))
    : [path];
const tests = unit.flatMap((p) => files(join(root, p))).filter((f) => f.endsWith('.test.js') && !notUnit.some((r) => r.test(f)));
for (const file of tests) await import(pathToFileURL(file).href);
