import { collect, Target } from './cli/collect';
import { formatJson, formatSarif, formatText } from './cli/formats';
import { LintArgs, parseArgs, usage, UsageError } from './cli/args';
import { lintFile, Located } from './cli/lintFiles';
import { loadShellParser } from './shell/parser';

declare const HOOKSMITH_VERSION: string;
const version = typeof HOOKSMITH_VERSION === 'string' ? HOOKSMITH_VERSION : '0.0.0-dev';

/** Runs the CLI; resolves to the exit status. Output goes through the two writers. */
export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') return out(usage + '\n'), 0;
    if (args.command === 'version') return out(version + '\n'), 0;
    return await lint(args, out, err);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`hooksmith: ${e.message}\n\n${usage}\n`);
    return 2;
  }
}

async function lint(args: LintArgs, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { files, unknown, unreadable } = collect(args.paths, args.families);
  // The shell grammar (WebAssembly) is loaded only when there is a hook to parse.
  if (files.some((f) => f.kind === 'hook')) await loadShellParser();
  const diagnostics: Located[] = [];
  const linted: Target[] = [];
  for (const file of files) {
    try {
      diagnostics.push(...lintFile(file.path, file.kind, args));
      linted.push(file);
    } catch (e) {
      unreadable.push({ path: file.path, reason: (e as Error).message });
    }
  }
  if (args.format === 'json') out(formatJson(diagnostics));
  else if (args.format === 'sarif') out(formatSarif(diagnostics, version));
  else out(formatText(diagnostics, { profiles: linted.filter((f) => f.kind === 'profile').length, hooks: linted.filter((f) => f.kind === 'hook').length }));
  for (const file of unknown) err(`hooksmith: skipped ${file}: not a profile or a hook script Hooksmith knows\n`);
  for (const u of unreadable) err(`hooksmith: cannot read ${u.path}: ${u.reason}\n`);
  if (unreadable.length) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

if (require.main === module) {
  const write = (stream: NodeJS.WriteStream) => (s: string) => void stream.write(s);
  main(process.argv.slice(2), write(process.stdout), write(process.stderr)).then(
    (status) => (process.exitCode = status),
    (e: unknown) => {
      process.stderr.write(`hooksmith: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
