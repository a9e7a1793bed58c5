import { append } from '../append';
import { UsageError } from './usageError';

export interface TestArgs {
  readonly command: 'test';
  /** Spec files and folders (default: the current folder). */
  readonly paths: readonly string[];
  readonly reporter: 'text' | 'junit';
  readonly json: boolean;
  /** Only tests whose name contains this. */
  readonly filter?: string;
  /** Simulations at once (default: the cores). */
  readonly jobs?: number;
}

export const testUsage = `Usage: hooksmith test [options] [spec-file-or-folder]...

Runs hook tests: *.hooktest.yaml and hooksmith.test.yaml files (folders are searched; default:
the current folder). Each test simulates its family's events in a dry run (shims or the
sandbox) and checks its expectations: exit status, timeouts, the next event's kill, duration,
the commands recorded, the output, and (in the sandbox) the state after each event.

Options:
  --filter TEXT              run only the tests whose name contains TEXT
  --reporter text|junit      text (default), or JUnit XML on standard output
  --json                     print the results as JSON
  --jobs N                   simulations at once (default: the number of cores)
  -h, --help                 show this help

Exit status: 0 every test passed, 1 a test failed, 2 a spec has errors (HS8xx) or a path
cannot be read (the other tests still run), 3 internal error.`;

export function parseTest(argv: readonly string[]): TestArgs | { readonly command: 'help'; readonly topic: 'test' } {
  const paths: string[] = [];
  let reporter: TestArgs['reporter'] = 'text';
  let json = false;
  let filter: string | undefined;
  let jobs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { command: 'help', topic: 'test' };
    if (arg === '--') {
      append(paths, argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-')) {
      paths.push(arg);
      continue;
    }
    if (arg === '--json') {
      json = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (!['--filter', '--reporter', '--jobs'].includes(flag)) throw new UsageError(`Unknown option '${flag}'.`);
    if (value === undefined) throw new UsageError(`${flag} needs a value.`);
    if (flag === '--filter') filter = value;
    else if (flag === '--reporter') {
      if (value !== 'text' && value !== 'junit') throw new UsageError(`--reporter must be text or junit, not '${value}'.`);
      reporter = value;
    } else {
      jobs = Number(value);
      if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256)
        throw new UsageError(`--jobs must be a whole number from 1 to 256, not '${value}'.`);
    }
  }
  if (json && reporter === 'junit') throw new UsageError('Give --json or --reporter junit, not both.');
  return { command: 'test', paths: paths.length ? paths : ['.'], reporter, json, filter, jobs };
}
