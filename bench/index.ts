/**
 * `npm run bench`: generates the profiles, runs every measurement in this one process (xmllint
 * and the language server as child processes) and prints one table. Nothing is hard-coded:
 * each row shows what was measured in this run.
 */
import { writeProfiles, GeneratedFiles, largeHostEntries, MB } from './generate';
import { benchFastXmlParser } from './fastXmlParser';
import { benchHookLint, HookLintResult, shellcheckMissing } from './hookLint';
import { writeHookScripts } from './hookScripts';
import { benchLspLatency, LatencyResult } from './lspLatency';
import { ocservRows } from './ocserv';
import { openvpnRows } from './openvpn';
import { paths } from './paths';
import { simulationRows } from './simulate';
import { hookTestRows } from './hookTests';
import { startupRows } from './startup';
import { formatMs, median } from './stats';
import { formatTable, Row, verdict } from './table';
import { benchLarge, benchSmall } from './validation';
import { vpncRows } from './vpncScript';
import { wgQuickRows } from './wgQuick';
import { nmDispatcherRows } from './nmDispatcher';
import { benchWorkspaceScan, ScanResult, workspaceFiles, writeWorkspace } from './workspace';
import { assertXmllintValidates, benchXmllint, xmllintInstalled, xmllintMissing, XmllintResult } from './xmllint';

const goals = { smallMedianMs: 2, ratio: 2, lspP95Ms: 20, hookLintMs: 100, scanMs: 1000 } as const;
const dash = '-';

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function smallRow(text: string): Row {
  const r = benchSmall(text);
  return {
    what: `lintProfile, ${kb(text.length)} profile (${r.iterations} runs after warm-up)`,
    value: `median ${formatMs(r.medianMs)}, p95 ${formatMs(r.p95Ms)}`,
    goal: `median ≤ ${goals.smallMedianMs} ms`,
    result: verdict(r.medianMs <= goals.smallMedianMs),
  };
}

function largeRows(files: GeneratedFiles): Row[] {
  const size = `${(files.largeBytes / MB).toFixed(2)} MB, ${largeHostEntries.toLocaleString('en-US')} HostEntry`;
  progress('timing hooksmith on the large profile');
  const ours = benchLarge(files.largePath);
  progress('timing xmllint on the large profile');
  const xmllint = benchXmllint(files.largePath, paths.xsd);
  progress('timing fast-xml-parser on the large profile');
  const fxp = benchFastXmlParser(files.largePath);
  return [
    { what: `hooksmith: read + lintProfile, ${size} (median of ${ours.length})`, value: formatMs(median(ours)), goal: dash, result: dash },
    xmllintRow(xmllint),
    ratioRow(median(ours), xmllint),
    {
      what: `fast-xml-parser XMLParser: read + parse, same file (median of ${fxp.length})`,
      value: formatMs(median(fxp)),
      goal: 'comparison only',
      result: dash,
    },
  ];
}

function xmllintRow(x: XmllintResult): Row {
  const what = 'xmllint --noout --schema AnyConnectProfile.xsd, same file';
  if (!x.installed) return { what, value: xmllintMissing, goal: dash, result: dash };
  return { what: `${what} (median of ${x.times.length})`, value: formatMs(median(x.times)), goal: dash, result: dash };
}

function ratioRow(oursMs: number, x: XmllintResult): Row {
  const what = 'ratio hooksmith / xmllint';
  const goal = `≤ ${goals.ratio.toFixed(1)}`;
  if (!x.installed) return { what, value: 'n/a (no xmllint)', goal, result: 'n/a' };
  const ratio = oursMs / median(x.times);
  return { what, value: ratio.toFixed(2), goal, result: verdict(ratio <= goals.ratio) };
}

function lspRow(r: LatencyResult, bytes: number): Row {
  return {
    what: `didChange → publishDiagnostics over stdio, ${kb(bytes)} (${r.edits} edits, ${r.withDiagnostics} with a diagnostic)`,
    value: `p50 ${formatMs(r.p50Ms)}, p95 ${formatMs(r.p95Ms)}`,
    goal: `p95 ≤ ${goals.lspP95Ms} ms`,
    result: verdict(r.p95Ms <= goals.lspP95Ms),
  };
}

function hookRows(label: string, r: HookLintResult): Row[] {
  const ours = median(r.ours);
  const rows: Row[] = [
    {
      what: `lintHook, ${r.lines.toLocaleString('en-US')}-line ${label} (median of ${r.ours.length} warm runs, ${r.findings} findings)`,
      value: formatMs(ours),
      goal: `≤ ${goals.hookLintMs} ms`,
      result: verdict(ours <= goals.hookLintMs),
    },
  ];
  const what = `shellcheck -f json1, same file`;
  if (!r.shellcheck) return [...rows, { what, value: shellcheckMissing, goal: dash, result: dash }];
  const sc = median(r.shellcheck.times);
  return [
    ...rows,
    {
      what:
        `${what} (median of ${r.shellcheck.times.length}, ${r.shellcheck.findings} findings; lintHook is ` +
        `${(sc / ours).toFixed(0)}× faster)`,
      value: formatMs(sc),
      goal: 'comparison only',
      result: dash,
    },
  ];
}

function scanRows(r: ScanResult): Row[] {
  const what =
    `scanHooks, generated workspace of ${workspaceFiles.toLocaleString('en-US')} files (${r.folders} folders ` +
    `walked, ${r.hooks} hooks, ${r.withFindings} with findings)`;
  const warm = median(r.warm);
  return [
    { what: `${what}: first scan`, value: formatMs(r.coldMs), goal: `≤ ${goals.scanMs} ms`, result: verdict(r.coldMs <= goals.scanMs) },
    {
      what: `${what}: later scans (median of ${r.warm.length})`,
      value: formatMs(warm),
      goal: `≤ ${goals.scanMs} ms`,
      result: verdict(warm <= goals.scanMs),
    },
  ];
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  progress(`generating profiles in ${paths.outDir}`);
  const files = writeProfiles(paths.outDir);
  if (xmllintInstalled()) {
    assertXmllintValidates(files.smallPath, paths.xsd);
    assertXmllintValidates(files.largePath, paths.xsd);
  }
  progress('timing lintProfile on the 30 KB profile');
  const rows = [smallRow(files.smallText), ...largeRows(files)];
  progress('timing the language server');
  rows.push(lspRow(await benchLspLatency(files.smallPath, files.smallText), files.smallText.length));
  const hooks = writeHookScripts(paths.outDir);
  progress('timing lintHook and shellcheck on the 5,000-line Shorewall start hook');
  rows.push(...hookRows('Shorewall start', await benchHookLint(hooks.shorewall, 'sh')));
  progress('timing lintHook and shellcheck on the 5,000-line AnyConnect OnConnect hook');
  rows.push(...hookRows('AnyConnect OnConnect', await benchHookLint(hooks.anyconnect, 'bash')));
  progress(`generating a ${workspaceFiles.toLocaleString('en-US')}-file workspace and scanning it for hooks`);
  rows.push(...scanRows(await benchWorkspaceScan(writeWorkspace(paths.outDir).root)));
  rows.push(...(await simulationRows(paths.outDir, progress)));
  rows.push(...(await vpncRows(paths.outDir, progress)));
  rows.push(...(await hookTestRows(progress)));
  rows.push(...(await ocservRows(paths.outDir, progress)));
  rows.push(...(await openvpnRows(paths.outDir, progress)));
  rows.push(...(await wgQuickRows(paths.outDir, progress)));
  rows.push(...(await nmDispatcherRows(paths.outDir, progress)));
  rows.push(...(await startupRows(files, progress)));
  process.stdout.write(`${formatTable(rows)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
