import { families } from '../families/registry';
import { defaultDocsBaseUrl } from '../ruleDocs';
import type { Dialect } from '../profile/validate';
import { parseSimulate, SimulateArgs } from './simulateArgs';
import { defineEntry } from './defineEntry';
import { UsageError } from './usageError';

export { UsageError };

export type Format = 'text' | 'json' | 'sarif';

export interface LintArgs {
  readonly command: 'lint';
  readonly format: Format;
  readonly dialect: Dialect;
  readonly maxSizeMB: number;
  readonly scriptFolders: readonly string[];
  /** GLOB → family id, as the hooks.families setting. */
  readonly families: Readonly<Record<string, string>>;
  /** Where SARIF's helpUri points when not the published rule pages (--docs-base-url). */
  readonly docsBaseUrl?: string;
  readonly paths: readonly string[];
}

export type ParsedArgs = LintArgs | SimulateArgs | { readonly command: 'help'; readonly topic?: 'simulate' } | { readonly command: 'version' };

export const usage = `Usage: hooksmith lint [options] <file-or-folder>...
       hooksmith simulate ... (see hooksmith simulate --help)

Lints AnyConnect / Secure Client profiles and the hook scripts Hooksmith knows
(${families.map((f) => f.displayName).join('; ')}). Folders are
searched for .xml files whose root element is <AnyConnectProfile> and for files a hook
family recognises; a file named explicitly is linted as a profile if it is one (or ends
in .xml), else as a hook if it is one.

Options:
  --format text|json|sarif   output format (default: text)
  --dialect auto|cisco|seed  profile dialect (default: auto)
  --script-folder DIR        also look for referenced scripts in DIR (repeatable)
  --family GLOB=ID           treat files matching GLOB (or in a folder matching it) as
                             hooks of family ID: ${families.map((f) => f.id).join(', ')} (repeatable)
  --max-size-mb N            skip files larger than N MB (default: 10)
  --docs-base-url URL        where SARIF's helpUri points (default: ${defaultDocsBaseUrl})
  -h, --help                 show this help
  -v, --version              show the version

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable path.`;

const choices = {
  '--format': ['text', 'json', 'sarif'],
  '--dialect': ['auto', 'cisco', 'seed'],
} as const;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0) throw new UsageError('No command given.');
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') return { command: 'help' };
  if (command === '-v' || command === '--version') return { command: 'version' };
  if (command === 'simulate') return parseSimulate(rest);
  if (command !== 'lint') throw new UsageError(`Unknown command '${command}'.`);
  return parseLint(rest);
}

function parseLint(argv: readonly string[]): ParsedArgs {
  let format: Format = 'text';
  let dialect: Dialect = 'auto';
  let maxSizeMB = 10;
  const scriptFolders: string[] = [];
  const mappings: Record<string, string> = {};
  const paths: string[] = [];
  let docsBaseUrl: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { command: 'help' };
    if (arg === '--') {
      paths.push(...argv.slice(i + 1));
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
    else if (flag === '--dialect') dialect = choose(flag, value());
    else if (flag === '--script-folder') scriptFolders.push(value());
    else if (flag === '--family') addMapping(mappings, value());
    else if (flag === '--max-size-mb') maxSizeMB = positiveNumber(flag, value());
    else if (flag === '--docs-base-url') docsBaseUrl = httpsUrl(flag, value());
    else throw new UsageError(`Unknown option '${flag}'.`);
  }
  if (!paths.length) throw new UsageError('Give at least one file or folder to lint.');
  return { command: 'lint', format, dialect, maxSizeMB, scriptFolders, families: mappings, paths, ...(docsBaseUrl ? { docsBaseUrl } : {}) };
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

/** An http(s) URL; a rule's page is this plus `HS206.md`, so it ends with a slash. */
function httpsUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an https:// URL, not '${value}'.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${flag} must be an https:// URL, not '${value}'.`);
  return value.endsWith('/') ? value : `${value}/`;
}

function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, not '${value}'.`);
  return n;
}
