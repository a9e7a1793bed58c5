/**
 * Start-up, as a user meets it: whole processes. `hooksmith lint` of one small hook (against
 * ShellCheck), of the 4.86 MB profile (against xmllint --schema), and a cold language server's
 * first diagnostics for a hook after didOpen. `node out/bench/startup.js` runs these rows alone.
 * Each hooksmith run takes turns with its comparison's, so that both meet the same load: on a
 * shared machine, two series taken a minute apart can differ by more than what they compare.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/helpers/lspClient';
import { GeneratedFiles, writeProfiles } from './generate';
import { paths } from './paths';
import { alternating, formatMs, median } from './stats';
import { formatTable, Row, verdict } from './table';
import { assertXmllintValidates, runXmllint, xmllintInstalled, xmllintMissing } from './xmllint';

export const startupGoals = { smallHookMs: 150, largeRatio: 2.5, lspFirstDiagnosticsMs: 300 } as const;
const cli = join(paths.root, 'dist/cli.js');
const dash = '-';

/** A small AnyConnect hook with one finding (HS401 would need a misname; this one is clean). */
function writeSmallHook(outDir: string): string {
  const file = join(outDir, 'startup/scripts/OnConnect_routes.sh');
  mkdirSync(join(outDir, 'startup/scripts'), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n# Routes for the VPN\nip route add 10.1.0.0/16 dev tun0\nlogger "VPN up: $CISCO_VPN_IP"\n');
  chmodSync(file, 0o755);
  return file;
}

/** A whole `node dist/cli.js lint FILE` process. */
function lintProcess(file: string): () => void {
  return () => {
    const r = spawnSync(process.execPath, [cli, 'lint', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`hooksmith lint ${file} failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  };
}

function shellcheckProcess(file: string): (() => void) | undefined {
  if (spawnSync('shellcheck', ['--version']).error) return undefined;
  return () => void spawnSync('shellcheck', [file]);
}

function xmllintProcess(file: string): (() => void) | undefined {
  if (!xmllintInstalled()) return undefined;
  assertXmllintValidates(file, paths.xsd);
  return () => runXmllint(file, paths.xsd);
}

/** A fresh server each time: spawn, initialize, then didOpen → the hook's first publishDiagnostics. */
async function lspFirstDiagnostics(file: string, text: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const client = await LspClient.start();
    try {
      const uri = pathToFileURL(file).href;
      const published = client.diagnostics(uri);
      const start = performance.now();
      await client.open(uri, text, 1, 'shellscript');
      await published;
      times.push(performance.now() - start);
    } finally {
      await client.stop();
    }
  }
  return times;
}

export async function startupRows(files: GeneratedFiles, progress: (message: string) => void): Promise<Row[]> {
  const hook = writeSmallHook(paths.outDir);
  progress('timing whole `hooksmith lint` processes on a small hook and on the large profile');
  const smallRuns = alternating(15, lintProcess(hook), shellcheckProcess(hook));
  const small = median(smallRuns.ours);
  const shellcheck = smallRuns.theirs;
  const largeRuns = alternating(7, lintProcess(files.largePath), xmllintProcess(files.largePath));
  const large = median(largeRuns.ours);
  const xmllint = largeRuns.theirs;
  progress('timing a cold language server to its first diagnostics');
  const lsp = median(await lspFirstDiagnostics(hook, '#!/bin/sh\nip route add 10.1.0.0/16 dev tun0\nexit 0\n', 7));
  const megabytes = (files.largeBytes / (1024 * 1024)).toFixed(2);
  const rows: Row[] = [
    {
      what: 'whole process: hooksmith lint, one 4-line hook (median of 15, in turns with shellcheck)',
      value: formatMs(small),
      goal: `≤ ${startupGoals.smallHookMs} ms`,
      result: verdict(small <= startupGoals.smallHookMs),
    },
    {
      what: 'whole process: shellcheck, same hook (median of 15, in turns with hooksmith)',
      value: shellcheck ? formatMs(median(shellcheck)) : 'shellcheck not installed',
      goal: 'comparison only',
      result: dash,
    },
    {
      what: `whole process: hooksmith lint, ${megabytes} MB profile (median of 7, in turns with xmllint)`,
      value: formatMs(large),
      goal: dash,
      result: dash,
    },
  ];
  if (!xmllint) rows.push({ what: 'whole process: xmllint --schema, same profile', value: xmllintMissing, goal: dash, result: dash });
  else {
    const ratio = large / median(xmllint);
    rows.push(
      {
        what: `whole process: xmllint --noout --schema, same profile (median of ${xmllint.length}, in turns with hooksmith)`,
        value: formatMs(median(xmllint)),
        goal: dash,
        result: dash,
      },
      {
        what: 'whole-process ratio hooksmith lint / xmllint',
        value: ratio.toFixed(2),
        goal: `≤ ${startupGoals.largeRatio}`,
        result: verdict(ratio <= startupGoals.largeRatio),
      },
    );
  }
  rows.push({
    what: 'cold language server: didOpen of a hook → first publishDiagnostics (median of 7 fresh servers)',
    value: formatMs(lsp),
    goal: `≤ ${startupGoals.lspFirstDiagnosticsMs} ms`,
    result: verdict(lsp <= startupGoals.lspFirstDiagnosticsMs),
  });
  return rows;
}

if (require.main === module) {
  const progress = (message: string): void => void process.stderr.write(`bench: ${message}\n`);
  startupRows(writeProfiles(paths.outDir), progress).then(
    (rows) => process.stdout.write(`${formatTable(rows)}\n`),
    (e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
