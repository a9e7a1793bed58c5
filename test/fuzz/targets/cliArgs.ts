/**
 * The CLI argument parser: parseArgs on token soups and on argv written from a known config
 * (which must parse back to it), and main()'s exit status for what does not lint (usage errors,
 * help, version). main() is not run on a parsed lint config: it would read the paths.
 */
import fc from 'fast-check';
import { main } from '../../../server/src/cli';
import { LintArgs, parseArgs, ParsedArgs, UsageError } from '../../../server/src/cli/args';
import { defaultDocsBaseUrl } from '../../../server/src/cli/docsUrl';
import { parseShellcheckChoice } from '../../../server/src/cli/shellcheckHooks';
import { families } from '../../../server/src/families/registry';
import { FuzzTarget } from '../harness';

export interface ArgsInput {
  readonly argv: readonly string[];
  /** The config `argv` was written from, when it was. */
  readonly expected?: LintArgs;
}

type Parsed = { readonly parsed: ParsedArgs } | { readonly usage: string };

interface ArgsOutput {
  readonly result: Parsed;
  /** main()'s status and output, when it does not lint. */
  readonly main?: { readonly status: number; readonly out: string; readonly err: string };
}

const familyIds = families.map((f) => f.id);
const formats = ['text', 'json', 'sarif', 'gcc', 'github', 'gitlab'] as const;
const flags = [
  '--format',
  '--fail-on',
  '--base-dir',
  '--docs-base-url',
  '--dialect',
  '--script-folder',
  '--family',
  '--max-size-mb',
  '--',
  '-',
  '-h',
  '--help',
  '-v',
  '--version',
  '--fix',
  '-x',
  '--format=',
  '--=x',
];
const values = [
  ...formats,
  'xml',
  'error',
  'warning',
  'note',
  'https://docs.example/rules/',
  'file:///tmp/',
  'http://x/',
  'auto',
  'cisco',
  'seed',
  '',
  '0',
  '-1',
  '1e3',
  '1e-9',
  'NaN',
  'Infinity',
  '0x10',
  ' 5 ',
  '2',
  'a.xml',
  'dir/',
  '**/fw=shorewall',
  'a=b=anyconnect',
  '=anyconnect',
  'x=pf',
  '__proto__=shorewall',
  'constructor=anyconnect',
  'toString=shorewall',
];
const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...flags) },
  { weight: 3, arbitrary: fc.constantFrom(...values) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...flags), fc.constantFrom(...values)).map(([f, v]) => `${f}=${v}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const soup: fc.Arbitrary<ArgsInput> = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constant(['lint']) }, fc.constant([]), fc.constantFrom(['help'], ['--version'], ['check'], [''])),
    fc.array(token, { maxLength: 8 }),
  )
  .map(([command, rest]) => ({ argv: [...command, ...rest] }));

const word = fc.oneof(
  fc.constantFrom('a.xml', '-odd.xml', 'dir with space', '=', '--', '-', 'é', '__proto__', 'constructor'),
  fc.string({ minLength: 1, maxLength: 6 }),
);
/**
 * Globs. Not '__proto__' while that bug is open in server/src/cli/args.ts (another branch's
 * file): `--family __proto__=ID` is dropped, see the todo test in cliArgs.test.ts.
 */
const glob = fc.oneof(
  fc.constantFrom('**/fw', 'vpn/a=b/**', 'constructor', 'hasOwnProperty', '__proto__', '*'),
  fc.string({ minLength: 1, maxLength: 6 }),
);

/** A lint config and one way of writing it: separate or inline values, paths after --. */
const roundTrip: fc.Arbitrary<ArgsInput> = fc
  .record({
    format: fc.constantFrom(...formats),
    failOn: fc.constantFrom('error', 'warning', 'note'),
    dialect: fc.constantFrom('auto', 'cisco', 'seed'),
    maxSizeMB: fc.oneof(fc.integer({ min: 1, max: 512 }), fc.double({ min: 1e-6, max: 1e6, noNaN: true, noDefaultInfinity: true })),
    scriptFolders: fc.array(word, { maxLength: 3 }),
    families: fc.uniqueArray(fc.tuple(glob, fc.constantFrom(...familyIds)), { maxLength: 3, selector: ([g]) => g }),
    paths: fc.array(word, { minLength: 1, maxLength: 3 }),
    shellcheck: fc.constantFrom('auto', 'off', '/usr/bin/shellcheck'),
    inline: fc.boolean(),
  })
  .map((c) => {
    const option = (flag: string, value: string): string[] => (c.inline ? [`${flag}=${value}`] : [flag, value]);
    const argv = [
      'lint',
      ...option('--format', c.format),
      ...option('--fail-on', c.failOn),
      ...option('--dialect', c.dialect),
      ...option('--max-size-mb', String(c.maxSizeMB)),
      ...c.scriptFolders.flatMap((f) => option('--script-folder', f)),
      ...c.families.flatMap(([g, id]) => option('--family', `${g}=${id}`)),
      ...option('--shellcheck', c.shellcheck),
      '--',
      ...c.paths,
    ];
    const expected: LintArgs = {
      command: 'lint',
      format: c.format,
      failOn: c.failOn,
      baseDir: undefined,
      docsBaseUrl: defaultDocsBaseUrl,
      dialect: c.dialect,
      maxSizeMB: c.maxSizeMB,
      scriptFolders: c.scriptFolders,
      families: Object.fromEntries(c.families),
      serverPaths: {},
      shellcheck: parseShellcheckChoice(c.shellcheck),
      paths: c.paths,
    };
    return { argv, expected };
  });

function parse(argv: readonly string[]): Parsed {
  try {
    return { parsed: parseArgs(argv) };
  } catch (e) {
    if (e instanceof UsageError) return { usage: e.message };
    throw e;
  }
}

async function run(input: ArgsInput): Promise<ArgsOutput> {
  const result = parse(input.argv);
  if ('parsed' in result && result.parsed.command === 'lint') return { result };
  let out = '';
  let err = '';
  const status = await main(
    input.argv,
    (s) => void (out += s),
    (s) => void (err += s),
  );
  return { result, main: { status, out, err } };
}

function check(input: ArgsInput, output: unknown): string[] {
  const { result, main: ran } = output as ArgsOutput;
  if ('usage' in result) {
    const problems = result.usage.trim() ? [] : ['a usage error without a message'];
    if (ran?.status !== 2 || ran.out !== '' || !ran.err.includes(result.usage))
      problems.push(`a usage error gives status ${ran?.status}, stdout ${JSON.stringify(ran?.out)}; expected 2 and the message on stderr`);
    return problems;
  }
  const parsed = result.parsed;
  if (parsed.command !== 'lint') return ran?.status === 0 && ran.out.length > 0 ? [] : [`${parsed.command} gives status ${ran?.status}`];
  return [
    ...lintProblems(parsed),
    ...(input.expected && !same(parsed, input.expected) ? [`parses to ${show(parsed)}, written from ${show(input.expected)}`] : []),
  ];
}

function lintProblems(a: LintArgs): string[] {
  const problems: string[] = [];
  if (!(formats as readonly string[]).includes(a.format)) problems.push(`format ${a.format}`);
  if (!['error', 'warning', 'note'].includes(a.failOn)) problems.push(`fail-on ${a.failOn}`);
  if (!a.docsBaseUrl.startsWith('https://')) problems.push(`docs base ${a.docsBaseUrl}`);
  if (!['auto', 'cisco', 'seed'].includes(a.dialect)) problems.push(`dialect ${a.dialect}`);
  if (!(Number.isFinite(a.maxSizeMB) && a.maxSizeMB > 0)) problems.push(`max size ${a.maxSizeMB}`);
  if (!a.paths.length) problems.push('no paths');
  for (const [g, id] of Object.entries(a.families)) if (!g || !familyIds.includes(id)) problems.push(`family ${g}=${id}`);
  return problems;
}

/** Own keys and values, so a mapping that went to the prototype instead of the object counts as lost. */
function same(a: LintArgs, b: LintArgs): boolean {
  return show(a) === show(b);
}

function show(a: LintArgs): string {
  return JSON.stringify({ ...a, families: Object.entries(a.families) });
}

export const cliArgsTarget: FuzzTarget<ArgsInput> = {
  name: 'CLI argument parser',
  arbitrary: fc.oneof(soup, roundTrip),
  run,
  check,
  show: (input) => JSON.stringify(input.argv),
};
