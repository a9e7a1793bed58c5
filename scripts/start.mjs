// `npm start`: the main job on the bundled examples. It lints them with the CLI, then simulates
// their hooks in a dry run (the shims record what would change the machine; nothing is changed).
// examples/mistakes/ holds deliberate errors, so lint's exit status 1 (errors found) is expected.
import { spawnSync } from 'node:child_process';

const cli = (...args) => spawnSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit' }).status;

const lint = cli('lint', 'examples');
if (lint === 1) console.log('(examples/mistakes/ holds deliberate mistakes: the errors above are expected.)');
if (lint !== 0 && lint !== 1) process.exit(lint ?? 2);

const simulations = [
  ['sequence', 'connect,disconnect', '--profile', 'examples/seed/seed-profile.xml', '--gap-ms', '500'],
  ['connect', '--profile', 'examples/anyconnect/corporate.xml'],
  ['shorewall', 'start', '--confdir', 'examples/shorewall', '--interface', 'ppp0'],
  ['ocserv', 'connect,disconnect', '--config', 'examples/ocserv/ocserv.conf'],
];
let failed = 0;
for (const args of simulations) {
  console.log(`\n$ hooksmith simulate ${args.join(' ')}`);
  if (cli('simulate', ...args) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
