import { collectProfiles } from './cli/collect';
import { formatJson, formatSarif, formatText } from './cli/formats';
import { LintArgs, parseArgs, usage, UsageError } from './cli/args';
import { lintFile, Located } from './cli/lintFiles';

declare const HOOKSMITH_VERSION: string;
const version = typeof HOOKSMITH_VERSION === 'string' ? HOOKSMITH_VERSION : '0.0.0-dev';

/** Runs the CLI; returns the exit status. Output goes through the two writers. */
export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') return out(usage + '\n'), 0;
    if (args.command === 'version') return out(version + '\n'), 0;
    return lint(args, out, err);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`hooksmith: ${e.message}\n\n${usage}\n`);
    return 2;
  }
}

function lint(args: LintArgs, out: (s: string) => void, err: (s: string) => void): number {
  const { files, unreadable } = collectProfiles(args.paths);
  const diagnostics: Located[] = [];
  for (const file of files) {
    try {
      diagnostics.push(...lintFile(file, args));
    } catch (e) {
      unreadable.push({ path: file, reason: (e as Error).message });
    }
  }
  if (args.format === 'json') out(formatJson(diagnostics));
  else if (args.format === 'sarif') out(formatSarif(diagnostics, version));
  else out(formatText(diagnostics, files.length - unreadable.filter((u) => files.includes(u.path)).length));
  for (const u of unreadable) err(`hooksmith: cannot read ${u.path}: ${u.reason}\n`);
  if (unreadable.length) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
