import { collect, Target } from './cli/collect';
import { LintArgs, parseArgs, usage, UsageError } from './cli/args';
import { escapeControls } from './cli/escape';
import { lintFile, Located } from './cli/lintFiles';
import { findingsStatus, formatReport, mostSevere } from './cli/report';
import { Severity } from './diagnostics';
import { rethrowUnlessIo } from './cli/ioError';
import { mergeByFile, shellcheckHooks } from './cli/shellcheckHooks';
import { readStdinTarget } from './cli/stdinTarget';
import { ReadResult } from './files/readFile';
import { SimulateArgs, simulateUsage } from './cli/simulateArgs';
import { testUsage } from './cli/testArgs';
import { formatSimulation, LivePrinter } from './cli/simulateText';
import { readSimulateSettings } from './protocol';
import { simulate, withFamilyDefaults } from './simulate/simulate';
import { SimulationError } from './simulate/simulationHooks';
import { loadShellParser } from './shell/parser';
import { compileWasmForShortRun } from './shell/shortLivedTier';
import { tuneV8ForShortRun } from './cli/shortRunV8';

declare const HOOKSMITH_VERSION: string;
/** Distinct from 1 (findings) and 2 (usage or I/O), so CI never reads a crash as findings. */
const internalErrorStatus = 3;
const version = typeof HOOKSMITH_VERSION === 'string' ? HOOKSMITH_VERSION : '0.0.0-dev';

/** The kinds of file (profile, hook, config) this process has linted: each compiles its own code (see cliEntry.ts). */
const kindsLinted = new Set<Target['kind']>();
export function lintedKinds(): readonly string[] {
  return [...kindsLinted];
}

/** Runs the CLI; resolves to the exit status. Output goes through the two writers. */
export async function main(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
  signal?: AbortSignal,
  stdin?: NodeJS.ReadableStream,
): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help')
      return (out((args.topic === 'simulate' ? simulateUsage : args.topic === 'test' ? testUsage : usage) + '\n'), 0);
    if (args.command === 'version') return (out(version + '\n'), 0);
    if (args.command === 'simulate') return await runSimulation(args, out, err, signal);
    // Loaded for `test` only: the spec reader (the yaml library and the hook-test runner) is a fifth
    // of the bundle, which a lint would otherwise initialise and hold in its code cache on every run.
    if (args.command === 'test') return await (await import('./cli/testCommand.js')).runHookTests(args, out, err, signal);
    return await lint(args, out, err, signal, stdin);
  } catch (e) {
    if (e instanceof SimulationError) return (err(`hooksmith: ${e.message}\n`), 2);
    if (!(e instanceof UsageError)) throw e;
    err(`hooksmith: ${e.message}\n\n${argv[0] === 'simulate' ? simulateUsage : argv[0] === 'test' ? testUsage : usage}\n`);
    return 2;
  }
}

/** Text mode streams each hook's output as it comes; --json prints only the report. */
async function runSimulation(
  args: SimulateArgs,
  out: (s: string) => void,
  err: (s: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  const live = args.json ? undefined : new LivePrinter(out);
  if (args.request.live) err('hooksmith: --live: the hooks run for real and change this machine.\n');
  // The CLI's defaults are the settings' defaults: the same request the editor would send.
  const report = await simulate(withFamilyDefaults(args.request, readSimulateSettings(undefined)), {
    signal,
    onRunStart: (_run, label, script) => live?.runStarted(label, script),
    onOutput: (_run, _label, _stream, text) => live?.output(text),
  });
  live?.endLine();
  out(args.json ? JSON.stringify(report, null, 2) + '\n' : formatSimulation(report));
  return report.ok ? 0 : 1;
}

async function lint(
  args: LintArgs,
  out: (s: string) => void,
  err: (s: string) => void,
  signal?: AbortSignal,
  stdin?: NodeJS.ReadableStream,
): Promise<number> {
  const { files, unknown, unreadable } = await collect(
    args.paths.filter((p) => p !== '-'),
    args.families,
    { roots: [process.cwd()], serverPaths: args.serverPaths },
  );
  const targets: (Target & { input?: ReadResult })[] = [...files];
  if (args.paths.includes('-')) {
    // process.stdin only when asked for: its getter loads node's stream and fs/promises modules (~5 ms).
    const fromStdin = await readStdinTarget(args, stdin ?? process.stdin);
    if ('unreadable' in fromStdin) unreadable.push({ path: '-', reason: fromStdin.unreadable });
    else targets.unshift(fromStdin);
  }
  // ShellCheck (other processes) runs while this one compiles the shell grammar and lints. A hook
  // lint cannot read is skipped there too, so the same hooks are checked as after the lint.
  const shellchecking = shellcheckHooks(
    targets.filter((f) => f.kind === 'hook' || f.kind === 'config'),
    args.shellcheck,
    args.families,
    args.maxSizeMB * 1024 * 1024,
  );
  shellchecking.catch(() => undefined); // awaited below, unless interrupted first: no unhandled rejection meanwhile
  const diagnostics: Located[] = [];
  const linted: (Target & { input?: ReadResult })[] = [];
  let worst: Severity | undefined;
  for (const file of targets) {
    if (signal?.aborted) return (err('hooksmith: interrupted\n'), 130);
    // The shell grammar (WebAssembly) is loaded only when there is a hook to parse, and loaded
    // afresh after a parser fault in the previous hook. A config's rules may parse the scripts it names (what a down script runs).
    if (file.kind === 'hook' || file.kind === 'config') await loadShellParser();
    try {
      const result = await lintFile(file.path, file.kind, args, file.input);
      for (const d of result.diagnostics) diagnostics.push(d); // one at a time: a spread of 200,000 overflows the stack
      worst = mostSevere([{ severity: worst }, { severity: result.worst }]);
      linted.push(file);
      kindsLinted.add(file.kind);
    } catch (e) {
      unreadable.push({ path: file.path, reason: rethrowUnlessIo(e).message });
    }
  }
  const hooks = linted.filter((f) => f.kind === 'hook');
  const shellcheck = await shellchecking;
  const all = mergeByFile(
    linted.map((f) => f.path),
    diagnostics,
    shellcheck.diagnostics,
  );
  const incomplete = unreadable.length + shellcheck.failed.length;
  out(
    formatReport(
      args,
      all,
      {
        profiles: linted.filter((f) => f.kind === 'profile').length,
        hooks: hooks.length,
        configs: linted.filter((f) => f.kind === 'config').length,
        specs: linted.filter((f) => f.kind === 'spec').length,
        unread: incomplete,
      },
      version,
    ),
  );
  for (const file of unknown)
    err(`hooksmith: skipped ${escapeControls(file)}: not a profile, hook script, config or hook test spec Hooksmith knows\n`);
  for (const u of unreadable) err(`hooksmith: cannot read ${escapeControls(u.path)}: ${escapeControls(u.reason)}\n`);
  for (const f of shellcheck.failed) err(`hooksmith: ShellCheck on ${escapeControls(f.path)}: ${escapeControls(f.reason)}\n`);
  if (shellcheck.note) err(`hooksmith: ${shellcheck.note}\n`);
  if (incomplete) return 2;
  return findingsStatus(all, args.failOn, worst);
}

if (require.main === module) {
  compileWasmForShortRun();
  tuneV8ForShortRun();
  const write = (stream: NodeJS.WriteStream) => (s: string) => void stream.write(s);
  // Ctrl-C stops the running hook's process group (SIGTERM, then SIGKILL) and still prints the report.
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  process.once('SIGTERM', () => interrupt.abort());
  // A bug is exit 3 with a message that says so, never 1 ("findings") nor node's own 1 for an uncaught exception.
  process.on('uncaughtException', (e) => internalError(e));
  process.on('unhandledRejection', (e) => internalError(e));
  main(process.argv.slice(2), write(process.stdout), write(process.stderr), interrupt.signal).then(
    (status) => (process.exitCode = status),
    internalError,
  );
}

function internalError(e: unknown): void {
  process.stderr.write(
    `hooksmith: internal error (a bug in Hooksmith ${version}, not a finding; please report it): ` +
      `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(internalErrorStatus);
}
