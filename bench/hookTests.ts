/**
 * `hooksmith test` at scale: 100 tests of the seed's connect/disconnect (examples/seed), run with
 * as many simulations at once as there are cores, in shims mode and in the sandbox; the wall time
 * of each batch. Run alone: node out/bench/hookTests.js [tests, default 100].
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkSpec } from '../server/src/hooktest/check';
import { runTests, selectInstances } from '../server/src/hooktest/run';
import { formatMs } from './stats';
import { formatTable, Row } from './table';

const dash = '-';
const seed = path.resolve(__dirname, '../../examples/seed');

/** A spec of `count` tests (one test, a matrix of `count` users) of the seed's pair in `isolation`. */
function spec(count: number, isolation: 'shims' | 'sandbox'): string {
  const rows = Array.from({ length: count }, (_, i) => `      - { name: user${i}, env: { CISCO_VPN_USERNAME: user${i} } }`).join('\n');
  return `tests:
  - name: seed ${isolation}
    family: anyconnect
    profile: ${path.join(seed, 'seed-profile.xml')}
    events: [connect, disconnect]
    terminateOnNextEvent: false
    gap: 0
    isolation: ${isolation}
    matrix:
${rows}
    expect:
      exit: 0
      connect:
        commands: ['logger "VPN: \${CISCO_VPN_USERNAME} connected *"', ip route add 192.168.100.0/24 *]
      disconnect:
        commands: [ip route del 192.168.100.0/24]
`;
}

async function batch(count: number, isolation: 'shims' | 'sandbox'): Promise<Row> {
  const file = path.join(os.tmpdir(), `hooksmith-bench-${isolation}.hooktest.yaml`);
  const checked = checkSpec(spec(count, isolation), file);
  if (checked.findings.length) throw new Error(checked.findings.map((f) => f.message).join('\n'));
  const cores = os.availableParallelism();
  const started = performance.now();
  const results = await runTests(selectInstances(checked.tests), { concurrency: cores });
  const wall = performance.now() - started;
  const passed = results.filter((r) => r.status === 'passed').length;
  return {
    what: `hooksmith test: ${count} tests of the seed's connect then disconnect, ${isolation} mode, ${cores} at a time (${cores} cores)`,
    value: `${formatMs(wall)} wall, ${formatMs(wall / count)} a test; ${passed}/${count} passed`,
    goal: dash,
    result: dash,
  };
}

export async function hookTestRows(progress: (m: string) => void, count = 100): Promise<Row[]> {
  if (!fs.existsSync(seed)) throw new Error(`${seed} is missing`);
  progress(`running ${count} hook tests in shims mode`);
  const shims = await batch(count, 'shims');
  progress(`running ${count} hook tests in the sandbox`);
  const sandbox = await batch(count, 'sandbox');
  return [shims, sandbox];
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 100);
  hookTestRows((m) => process.stderr.write(`bench: ${m}\n`), count).then(
    (rows) => process.stdout.write(`${formatTable(rows)}\n`),
    (e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
