// `npm start`: the main job on the bundled examples. It lints them with the CLI, simulates
// their hooks in a dry run (the shims record what would change the machine; nothing is changed),
// then runs their hook tests (examples/**/*.hooktest.yaml).
// examples/mistakes/ holds deliberate errors, so lint's and test's exit status 1 is expected.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const cli = (...args) => spawnSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit' }).status;

const lint = cli('lint', 'examples');
if (lint === 1) console.log('(examples/mistakes/ holds deliberate mistakes: the errors above are expected.)');
if (lint !== 0 && lint !== 1) process.exit(lint ?? 2);

// The runs are data beside the examples (a family's example brings its own run).
const simulations = JSON.parse(readFileSync('examples/simulations.json', 'utf8')).runs;
let failed = 0;
for (const args of simulations) {
  console.log(`\n$ hooksmith simulate ${args.join(' ')}`);
  if (cli('simulate', ...args) !== 0) failed++;
}

// examples/seed's tests pass; examples/mistakes' test fails on purpose (exit 1), and its report shows why.
console.log('\n$ hooksmith test examples/seed');
if (cli('test', 'examples/seed') !== 0) failed++;
console.log('\n$ hooksmith test examples/mistakes');
if (cli('test', 'examples/mistakes') === 1)
  console.log('(examples/mistakes/mistakes.hooktest.yaml fails on purpose: the failure above is expected.)');
else failed++;
process.exit(failed ? 1 : 0);
