/**
 * The ocserv family's rows: a realistic ocserv.conf with its two scripts linted in-process (the
 * config, which wires the scripts, then each script), and one simulated connect in shims mode
 * against running the same script with a bare `sh`. Run alone: `node out/bench/ocserv.js`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configTypeOf, lintAndWire } from '../server/src/config/configDocs';
import { simulateOcserv } from '../server/src/families/ocserv/simulate/simulate';
import { hookFileOnDisk, lintHook } from '../server/src/hooks/lintHook';
import { loadShellParser } from '../server/src/shell/parser';
import { simulatedVsBare } from './bareRun';
import { paths } from './paths';
import { formatMs, median, sample } from './stats';
import { formatTable, Row, verdict } from './table';

const goals = { lintMs: 5, simulateOverMs: 10 } as const;
const example = path.join(paths.root, 'examples/ocserv');

/** ocserv.conf and its scripts, linted as the server lints them: the config (which wires the scripts), then each script. */
async function lintRow(runs = 50): Promise<Row> {
  await loadShellParser();
  const config = path.join(example, 'ocserv.conf');
  const text = fs.readFileSync(config, 'utf8');
  const scripts = ['connect.sh', 'disconnect.sh'].map((s) => hookFileOnDisk(path.join(example, s)));
  const match = configTypeOf(config, text);
  if (!match) throw new Error('examples/ocserv/ocserv.conf is not recognised');
  const once = (): number => {
    const found = lintAndWire(match, config, text, { roots: [paths.root], serverPaths: {} }).findings.length;
    return found + scripts.reduce((n, s) => n + (lintHook(s)?.findings.length ?? Number.NaN), 0);
  };
  for (let i = 0; i < 5; i++) once();
  const times = sample(runs, once);
  const ms = median(times);
  return {
    what:
      `ocserv: examples/ocserv (ocserv.conf, ${text.split('\n').length} lines, + connect.sh, disconnect.sh) linted ` +
      `in-process (median of ${runs})`,
    value: formatMs(ms),
    goal: `≤ ${goals.lintMs} ms`,
    result: verdict(ms <= goals.lintMs),
  };
}

/** One simulated connect against `sh script`. */
function simulateRow(dir: string): Promise<Row> {
  const script = { file: path.join(dir, 'connect.sh'), text: '#!/bin/sh\nlogger -t ocserv "connect: $USERNAME"\nexit 0\n' };
  return simulatedVsBare(
    'ocserv: one simulated connect',
    script,
    async (file) => {
      const r = await simulateOcserv({ kind: 'ocserv', events: ['connect'], script: file, isolation: 'shims' });
      if (r.runs[0]?.exitCode !== 0) throw new Error(`simulated connect failed: ${JSON.stringify(r.runs[0]?.notRun ?? r.runs[0]?.stderr)}`);
    },
    goals.simulateOverMs,
  );
}

export async function ocservRows(outDir: string, progress: (message: string) => void): Promise<Row[]> {
  progress('timing the ocserv config and scripts lint');
  const lint = await lintRow();
  progress('timing one simulated ocserv connect against bare sh');
  return [lint, await simulateRow(path.join(outDir, 'ocserv'))];
}

if (require.main === module) {
  ocservRows(paths.outDir, (m) => process.stderr.write(`bench: ${m}\n`)).then(
    (rows) => process.stdout.write(`${formatTable(rows)}\n`),
    (e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
