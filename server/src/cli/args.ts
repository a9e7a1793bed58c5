import { families } from '../families/registry';
import type { Dialect } from '../profile/validate';
import { parseSimulate, SimulateArgs } from './simulateArgs';
import { parseTest, TestArgs } from './testArgs';
import { append } from '../append';
import { globProblem } from '../globs/compiledGlob';
import { defineEntry } from './defineEntry';
import { addServerPath } from './serverPathOption';
import { defaultDocsBaseUrl } from './docsUrl';
import { parseShellcheckChoice, ShellcheckChoice } from './shellcheckHooks';
import { UsageError } from './usageError';

export { UsageError };

export type Format = 'text' | 'json' | 'sarif' | 'gcc' | 'github' | 'gitlab';

/** The lowest severity that makes the exit status 1; notes are information and hints. */
export type FailOn = 'error' | 'warning' | 'note';

export interface LintArgs {
  readonly command: 'lint';
  readonly format: Format;
  readonly failOn: FailOn;
  /** --base-dir: what sarif, github and gitlab paths are relative to (default: the git top level). */
  readonly baseDir?: string;
  readonly docsBaseUrl: string;
  readonly dialect: Dialect;
  readonly maxSizeMB: number;
  readonly scriptFolders: readonly string[];
  /** GLOB → family id, as the hooks.families setting. */
  readonly families: Readonly<Record<string, string>>;
  /** Server folder → local folder, as the hooks.serverPaths setting. */
  readonly serverPaths: Readonly<Record<string, string>>;
  readonly shellcheck: ShellcheckChoice;
  readonly paths: readonly string[];
  /** Per file, then one HS113; every problem when not given. */
  readonly maxProblems?: number;
  /** What `-` (standard input) is: its name decides profile or hook, and which rules apply. */
  readonly stdinFilename?: string;
}

export type ParsedArgs =
  LintArgs | SimulateArgs | TestArgs | { readonly command: 'help'; readonly topic?: 'simulate' | 'test' } | { readonly command: 'version' };

export const usage = `Usage: hooksmith lint [options] <file-or-folder>...
       hooksmith simulate ... (see hooksmith simulate --help)
       hooksmith test [spec-file-or-folder]... (see hooksmith test --help)

Lints AnyConnect / Secure Client profiles and the hook scripts Hooksmith knows
(${families.map((f) => f.displayName).join('; ')}). Folders are
searched for .xml files whose root element is <AnyConnectProfile> and for files a hook
family recognises; a file named explicitly is linted as a profile if it is one (or ends
in .xml), else as a hook if it is one.

Options:
  --format FORMAT            text, json, sarif, gcc, github or gitlab (default: text)
  --fail-on error|warning|note
                             exit 1 when a finding is at least this severe (default: error)
  --base-dir DIR             sarif, github and gitlab paths are relative to DIR
                             (default: the git repository's top level, else the current folder)
  --docs-base-url URL        https address of the rule pages, for sarif's helpUri
                             (default: ${defaultDocsBaseUrl})
  --dialect auto|cisco|seed  profile dialect (default: auto)
  --script-folder DIR        also look for referenced scripts in DIR (repeatable)
  --family GLOB=ID           treat files matching GLOB (or in a folder matching it) as
                             hooks of family ID: ${families.map((f) => f.id).join(', ')} (repeatable)
  --server-path DIR=LOCAL    a config file's paths under the server folder DIR are found
                             under LOCAL (repeatable), as hooksmith.hooks.serverPaths
  --max-size-mb N            skip files larger than N MB (default: 10)
  --shellcheck auto|off|PATH run ShellCheck on shell hooks, as the editor does: auto uses
                             shellcheck from PATH when there is one (default: auto)
  --max-problems N           report at most N problems per file, then one HS113 (default: all)
  --stdin-filename NAME      lint standard input (given as -) as the file NAME
  -h, --help                 show this help
  -v, --version              show the version

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or
unreadable path, 3 internal error (a bug in Hooksmith: the message says so).`;

const choices = {
  '--format': ['text', 'json', 'sarif', 'gcc', 'github', 'gitlab'],
  '--fail-on': ['error', 'warning', 'note'],
  '--dialect': ['auto', 'cisco', 'seed'],
} as const;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0) throw new UsageError('No command given.');
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') return { command: 'help' };
  if (command === '-v' || command === '--version') return { command: 'version' };
  if (command === 'simulate') return parseSimulate(rest);
  if (command === 'test') return parseTest(rest);
  if (command !== 'lint') throw new UsageError(`Unknown command '${command}'.`);
  return parseLint(rest);
}

function parseLint(argv: readonly string[]): ParsedArgs {
  let format: Format = 'text';
  let failOn: FailOn = 'error';
  let baseDir: string | undefined;
  let docsBaseUrl = defaultDocsBaseUrl;
  let dialect: Dialect = 'auto';
  let maxSizeMB = 10;
  const scriptFolders: string[] = [];
  const mappings: Record<string, string> = {};
  const serverPaths: Record<string, string> = {};
  const paths: string[] = [];
  let shellcheck: ShellcheckChoice = { mode: 'auto' };
  const more: { maxProblems?: number; stdinFilename?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { command: 'help' };
    if (arg === '--') {
      append(paths, argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    const [flag, inline] = splitFlag(arg);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value.`);
      return next;
    };
    if (flag === '--format') format = choose(flag, value());
    else if (flag === '--fail-on') failOn = choose(flag, value());
    else if (flag === '--base-dir') baseDir = value();
    else if (flag === '--docs-base-url') docsBaseUrl = httpsUrl(flag, value());
    else if (flag === '--dialect') dialect = choose(flag, value());
    else if (flag === '--script-folder') scriptFolders.push(value());
    else if (flag === '--family') addMapping(mappings, value());
    else if (flag === '--server-path') addServerPath(serverPaths, value());
    else if (flag === '--max-size-mb') maxSizeMB = positiveNumber(flag, value());
    else if (flag === '--shellcheck') shellcheck = parseShellcheckChoice(value());
    else if (flag === '--max-problems') more.maxProblems = positiveInteger(flag, value());
    else if (flag === '--stdin-filename') more.stdinFilename = value();
    else throw new UsageError(`Unknown option '${flag}'.`);
  }
  if (!paths.length) throw new UsageError('Give at least one file or folder to lint.');
  checkStdin(paths, more.stdinFilename);
  for (const glob of Object.keys(mappings)) {
    const bad = globProblem(glob);
    if (bad) throw new UsageError(`--family ${glob}: ${bad}`);
  }
  return {
    command: 'lint',
    format,
    failOn,
    baseDir,
    docsBaseUrl,
    dialect,
    maxSizeMB,
    scriptFolders,
    families: mappings,
    serverPaths,
    shellcheck,
    paths,
    ...more,
  };
}

/** GLOB=ID; the last '=' splits, so a glob may hold one. */
function addMapping(mappings: Record<string, string>, value: string): void {
  const eq = value.lastIndexOf('=');
  const [glob, id] = [value.slice(0, eq), value.slice(eq + 1)];
  const ids = families.map((f) => f.id);
  if (eq <= 0 || !ids.includes(id)) throw new UsageError(`--family takes GLOB=ID with ID one of ${ids.join(', ')}, not '${value}'.`);
  defineEntry(mappings, glob, id);
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function choose<K extends keyof typeof choices>(flag: K, value: string): (typeof choices)[K][number] {
  const allowed: readonly string[] = choices[flag];
  if (!allowed.includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not '${value}'.`);
  return value as (typeof choices)[K][number];
}

/** Rule links are shown on web pages (code scanning): a file:// or http:// link there is useless or unsafe. */
function httpsUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an https:// address, not '${value}'.`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`${flag} must be an https:// address, not '${value}'.`);
  return value;
}

/** `-` is standard input, once, and its name must be given: it decides what the text is. */
function checkStdin(paths: readonly string[], name: string | undefined): void {
  const dashes = paths.filter((p) => p === '-').length;
  if (dashes > 1) throw new UsageError('- (standard input) can be given only once.');
  if (dashes && !name)
    throw new UsageError(
      "- reads standard input: give --stdin-filename NAME to say what it is (NAME.xml for a profile, a hook's name for a hook).",
    );
  if (!dashes && name !== undefined) throw new UsageError('--stdin-filename needs - among the paths.');
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive whole number, not '${value}'.`);
  return n;
}

function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, not '${value}'.`);
  return n;
}
