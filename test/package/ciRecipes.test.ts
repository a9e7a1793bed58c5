/**
 * The README's CI recipes, run as their CI would run them (everything but the upload) on a scratch
 * git repository, with the packed package in place of the registry's: a clean repository passes,
 * findings are reported and then fail the job, and a failed install or a crash fails it before
 * any report goes anywhere.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe as suite, test } from 'node:test';
import { installOffline, offlineNpmEnv, pack, root } from '../helpers/packed';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksmith-recipes-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The first yaml block after a heading of the README. */
function recipe(heading: string): string {
  const at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, heading);
  const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, `no yaml block under ${heading}`);
  return block[1];
}

const pinned = `hooksmith@${version}`;
let tarball = '';
before(() => {
  tarball = pack(work).tarball;
});

let counter = 0;
type Kind = 'clean' | 'findings' | 'crash' | 'usage';
/** A scratch git repository: a clean profile, or one with an error. */
function scratchRepo(kind: Kind): string {
  const repo = path.join(work, `repo-${++counter}`);
  fs.mkdirSync(path.join(repo, 'vpn'), { recursive: true });
  const value = kind === 'findings' ? 'yes' : 'true';
  fs.writeFileSync(
    path.join(repo, 'vpn/profile.xml'),
    `<?xml version="1.0"?>\n<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/">\n  ` +
      `<ClientInitialization>\n    <AutoUpdate>${value}</AutoUpdate>\n  ` +
      `</ClientInitialization>\n</AnyConnectProfile>\n`,
  );
  spawnSync('git', ['init', '-q', repo]);
  return repo;
}

/** A preload's guard: what follows it acts in the installed CLI only, not in npm. */
const inTheCli = "if (/[\\\\/](\\.bin[\\\\/]hooksmith|hooksmith[\\\\/]dist[\\\\/]cli\\.js)$/.test(process.argv[1] || '')) ";

/** Makes the installed CLI (and only it, not npm) hit a bug while linting, as a real crash would. */
const crashPreload = path.join(work, 'crash.js');
fs.writeFileSync(crashPreload, inTheCli + "String.prototype.localeCompare = () => { throw new TypeError('broken compare'); };\n");

/** Makes the installed CLI (and only it) get an option it does not know, as a recipe's typo or a newer flag would: exit 2. */
const usagePreload = path.join(work, 'usage.js');
fs.writeFileSync(usagePreload, inTheCli + "process.argv.push('--no-such-option');\n");

/** The environment of a job: npm offline (the pinned name resolves to the packed tarball), a crash or a usage error if asked. */
function jobEnv(kind: Kind, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...offlineNpmEnv(path.join(work, `cache-${counter}`)), ...extra };
  if (kind === 'crash') env.NODE_OPTIONS = `--require ${crashPreload}`;
  if (kind === 'usage') env.NODE_OPTIONS = `--require ${usagePreload}`;
  return env;
}

/** The recipe's package spec replaced by the packed tarball; `installFails` keeps the registry name, which the offline npm cannot fetch. */
function withPackage(script: string, installFails: boolean): string {
  return installFails ? script : script.split(pinned).join(tarball);
}

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
}

interface JobResult {
  status: number;
  /** The names of the steps that ran, `uses:` steps included (they are not run, only reached). */
  reached: string[];
  output: string;
}

/**
 * Runs a GitHub Actions job's steps as the runner would: bash -e per step, GITHUB_PATH, GITHUB_OUTPUT, `if:` on outputs, stop at the first
 * failure.
 */
function runGithubJob(kind: Kind, installFails = false): JobResult & { repo: string } {
  const workflow = yaml.load(recipe('#### GitHub Actions')) as { jobs: Record<string, { steps: Step[] }> };
  const [job] = Object.values(workflow.jobs);
  const repo = scratchRepo(kind);
  const temp = fs.mkdtempSync(path.join(work, 'runner-'));
  const githubPath = path.join(temp, 'path');
  fs.writeFileSync(githubPath, '');
  const outputs: Record<string, Record<string, string>> = {};
  const result: JobResult & { repo: string } = { status: 0, reached: [], output: '', repo };
  for (const step of job.steps) {
    const name = step.name ?? step.uses ?? '';
    if (step.if && !githubCondition(step.if, outputs)) continue;
    result.reached.push(name);
    if (!step.run) continue;
    const outputFile = path.join(temp, `output-${result.reached.length}`);
    fs.writeFileSync(outputFile, '');
    const added = fs.readFileSync(githubPath, 'utf8').split('\n').filter(Boolean).reverse();
    const env = jobEnv(kind, {
      RUNNER_TEMP: temp,
      GITHUB_PATH: githubPath,
      GITHUB_OUTPUT: outputFile,
      PATH: [...added, process.env.PATH].join(path.delimiter),
    });
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', withPackage(step.run, installFails)], {
      cwd: repo,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    result.output += r.stdout + r.stderr;
    if (step.id)
      outputs[step.id] = Object.fromEntries(
        fs
          .readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(/=(.*)/s).slice(0, 2)),
      );
    if (r.status !== 0) {
      result.status = r.status ?? 1;
      break;
    }
  }
  return result;
}

/** The one kind of condition the recipe uses: steps.ID.outputs.NAME == 'VALUE'. */
function githubCondition(condition: string, outputs: Record<string, Record<string, string>>): boolean {
  const m = /^steps\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'$/.exec(condition.trim());
  assert.ok(m, `a condition this test cannot read: ${condition}`);
  return outputs[m[1]]?.[m[2]] === m[3];
}

test('every CI recipe pins this version of the package', () => {
  for (const heading of ['#### GitHub Actions', '#### GitLab CI'])
    assert.match(recipe(heading), new RegExp(`\\s${pinned.replace(/\./g, '\\.')}\\s`), heading);
});

suite('README recipe: GitHub Actions', () => {
  const upload = 'Upload to code scanning';
  test('a clean repository: SARIF uploaded with no results, the job passes', () => {
    const r = runGithubJob('clean');
    assert.equal(r.status, 0, r.output);
    assert.ok(r.reached.includes(upload));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(r.repo, 'hooksmith.sarif'), 'utf8')).runs[0].results, []);
  });

  test('findings: annotations printed, SARIF with the result uploaded, then the job fails', () => {
    const r = runGithubJob('findings');
    assert.equal(r.status, 1);
    assert.match(r.output, /^::error file=vpn\/profile\.xml,line=4,col=17,endLine=4,endColumn=20,title=HS206::/m);
    assert.deepEqual(r.reached.slice(-2), [upload, 'Fail on findings']);
    const [result] = JSON.parse(fs.readFileSync(path.join(r.repo, 'hooksmith.sarif'), 'utf8')).runs[0].results;
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'vpn/profile.xml');
  });

  test('a crash (exit 3) fails the job before the upload', () => {
    const r = runGithubJob('crash');
    assert.equal(r.status, 3, r.output);
    assert.match(r.output, /internal error/);
    assert.ok(!r.reached.includes(upload));
  });

  test('a usage error (exit 2) fails the job before the upload', () => {
    const r = runGithubJob('usage');
    assert.equal(r.status, 2, r.output);
    assert.match(r.output, /--no-such-option/);
    assert.ok(!r.reached.includes(upload));
  });

  test('a failed install fails the job before anything is linted or uploaded', () => {
    const r = runGithubJob('findings', true);
    assert.notEqual(r.status, 0);
    assert.deepEqual(r.reached, ['actions/checkout@v4', 'actions/setup-node@v4', 'Install Hooksmith']);
    assert.equal(fs.existsSync(path.join(r.repo, 'hooksmith.sarif')), false);
  });
});

/** Runs a GitLab job's script as the runner does: one shell, stop at the first failing line. */
function runGitlabJob(kind: Kind, installFails = false): { status: number; output: string; report?: unknown; reportPath: string } {
  const jobs = yaml.load(recipe('#### GitLab CI')) as Record<string, { script: string[]; artifacts: { reports: { codequality: string } } }>;
  const [job] = Object.values(jobs);
  const repo = scratchRepo(kind);
  const script = ['set -e', ...job.script].join('\n');
  const r = spawnSync('sh', ['-c', withPackage(script, installFails)], {
    cwd: repo,
    env: jobEnv(kind, { CI_PROJECT_DIR: repo }),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const reportPath = path.join(repo, job.artifacts.reports.codequality);
  const report = fs.existsSync(reportPath) ? JSON.parse(fs.readFileSync(reportPath, 'utf8')) : undefined;
  return { status: r.status ?? 1, output: r.stdout + r.stderr, report, reportPath };
}

suite('README recipe: GitLab CI', () => {
  test('a clean repository: an empty code quality report, the job passes', () => {
    const r = runGitlabJob('clean');
    assert.equal(r.status, 0, r.output);
    assert.deepEqual(r.report, []);
  });

  test('findings: the report holds them, the job fails', () => {
    const r = runGitlabJob('findings');
    assert.equal(r.status, 1, r.output);
    assert.deepEqual(
      (r.report as { check_name: string; location: { path: string } }[]).map((i) => [i.check_name, i.location.path]),
      [['HS206', 'vpn/profile.xml']],
    );
  });

  test('a crash fails the job with 3 and leaves no report', () => {
    const r = runGitlabJob('crash');
    assert.equal(r.status, 3, r.output);
    assert.equal(r.report, undefined);
  });

  test('a usage error fails the job with 2 and leaves no report', () => {
    const r = runGitlabJob('usage');
    assert.equal(r.status, 2, r.output);
    assert.equal(r.report, undefined);
  });

  test('a failed install fails the job and leaves no report', () => {
    const r = runGitlabJob('findings', true);
    assert.notEqual(r.status, 0);
    assert.equal(r.report, undefined);
    assert.doesNotMatch(r.output, /HS206/);
  });
});

suite('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const [hook] = yaml.load(fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
  }[];

  test('a node hook that triggers on profiles and hooks, not on other files', () => {
    assert.equal(hook.id, 'hooksmith');
    assert.equal(hook.language, 'node');
    const files = new RegExp(hook.files);
    for (const f of ['vpn/profile.xml', 'scripts/OnConnect_routes.sh', 'OnDisconnect.sh', 'etc/shorewall/start'])
      assert.ok(files.test(f), f);
    for (const f of ['README.md', 'src/main.ts', 'docs/OnConnect_routes.md/x']) assert.ok(!files.test(f), f);
  });

  test('its entry, run from the installed package as pre-commit runs it: 0 clean, non-zero on findings and on a crash', () => {
    const bin = installOffline(tarball, path.join(work, 'pre-commit-env'));
    assert.equal(hook.pass_filenames, false);
    const [command, ...args] = hook.entry.split(' ');
    const runHook = (kind: Kind) =>
      spawnSync(path.join(bin, command), args, { cwd: scratchRepo(kind), env: jobEnv(kind, {}), encoding: 'utf8', timeout: 60_000 });
    assert.equal(runHook('clean').status, 0);
    const findings = runHook('findings');
    assert.equal(findings.status, 1);
    assert.match(findings.stdout, /^vpn\/profile\.xml:4:17: error: .* \[HS206\]$/m);
    assert.equal(runHook('crash').status, 3);
  });
});
