// `npm start`: lints the bundled examples with the CLI and prints the result.
// examples/mistakes/ holds deliberate errors, so exit status 1 (errors found) is the expected outcome.
import { spawnSync } from 'node:child_process';

const { status } = spawnSync(process.execPath, ['dist/cli.js', 'lint', 'examples'], { stdio: 'inherit' });
if (status === 1) console.log('(examples/mistakes/ holds deliberate mistakes: the errors above are expected.)');
process.exit(status === 0 || status === 1 ? 0 : status ?? 2);
