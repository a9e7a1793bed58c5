/**
 * The OpenVPN family's rows: the example client and server configs with their scripts linted
 * in-process (each config, which wires the scripts, then each script), and one simulated up in
 * shims mode against running the same script with a bare `sh`. Run alone: `node out/bench/openvpn.js`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configTypeOf, lintAndWire } from '../server/src/config/configDocs';
import { simulateOpenvpn } from '../server/src/families/openvpn/simulate/simulate';
import { hookFileOnDisk, lintHook } from '../server/src/hooks/lintHook';
import { loadShellParser } from '../server/src/shell/parser';
import { simulatedVsBare } from './bareRun';
import { paths } from './paths';
import { formatMs, median, sample } from './stats';
import { formatTable, Row, verdict } from './table';

const goals = { lintMs: 5, simulateOverMs: 10 } as const;
const example = path.join(paths.root, 'examples/openvpn');

/** client.conf and server.conf with their four scripts, linted as the server lints them. */
async function lintRow(runs = 50): Promise<Row> {
  await loadShellParser();
  const configs = ['client.conf', 'server.conf'].map((c) => {
    const file = path.join(example, c);
    const text = fs.readFileSync(file, 'utf8');
    const match = configTypeOf(file, text);
    if (!match) throw new Error(`examples/openvpn/${c} is not recognised`);
    return { file, text, match };
  });
  const scripts = ['updown.sh', 'scripts/connect.sh', 'scripts/learn.sh', 'scripts/auth.sh'].map((s) =>
    hookFileOnDisk(path.join(example, s)),
  );
  const once = (): number => {
    const found = configs.reduce(
      (n, c) => n + lintAndWire(c.match, c.file, c.text, { roots: [paths.root], serverPaths: {} }).findings.length,
      0,
    );
    return found + scripts.reduce((n, s) => n + (lintHook(s)?.findings.length ?? Number.NaN), 0);
  };
  for (let i = 0; i < 5; i++) once();
  const times = sample(runs, once);
  const ms = median(times);
  const lines = configs.reduce((n, c) => n + c.text.split('\n').length, 0);
  return {
    what: `OpenVPN: examples/openvpn (client.conf + server.conf, ${lines} lines, + 4 scripts) linted in-process (median of ${runs})`,
    value: formatMs(ms),
    goal: `≤ ${goals.lintMs} ms`,
    result: verdict(ms <= goals.lintMs),
  };
}

/** One simulated up against `sh script`. */
function simulateRow(dir: string): Promise<Row> {
  const script = { file: path.join(dir, 'up.sh'), text: '#!/bin/sh\nlogger -t openvpn "up: $dev $ifconfig_local"\nexit 0\n' };
  return simulatedVsBare(
    'OpenVPN: one simulated up',
    script,
    async (file) => {
      const r = await simulateOpenvpn({ kind: 'openvpn', events: ['up'], script: file, isolation: 'shims' });
      if (r.runs[0]?.exitCode !== 0) throw new Error(`simulated up failed: ${JSON.stringify(r.runs[0]?.notRun ?? r.runs[0]?.stderr)}`);
    },
    goals.simulateOverMs,
  );
}

export async function openvpnRows(outDir: string, progress: (message: string) => void): Promise<Row[]> {
  progress('timing the OpenVPN configs and scripts lint');
  const lint = await lintRow();
  progress('timing one simulated OpenVPN up against bare sh');
  return [lint, await simulateRow(path.join(outDir, 'openvpn'))];
}

if (require.main === module) {
  openvpnRows(paths.outDir, (m) => process.stderr.write(`bench: ${m}\n`)).then(
    (rows) => process.stdout.write(`${formatTable(rows)}\n`),
    (e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
