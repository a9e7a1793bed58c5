// `npm start`: the main job on the bundled examples. It lints them with the CLI, then simulates
// their hooks in a dry run (the shims record what would change the machine; nothing is changed).
// examples/mistakes/ holds deliberate errors, so lint's exit status 1 (errors found) is expected.
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
process.exit(failed ? 1 : 0);
