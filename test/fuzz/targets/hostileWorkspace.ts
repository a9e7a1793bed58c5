/**
 * Hostile workspaces on disk: hook names (lookalikes included) on regular files, FIFOs, links to
 * /dev/zero, to FIFOs, to folders and to nowhere, with hostile hooks.families patterns (brace
 * bombs, overlong globs). The workspace scan and the CLI's collection must finish, read nothing
 * that is not a regular file, and agree: one HS114 (scan) or one `cannot read` (CLI) for each
 * hook name on a special file, and never for a regular one.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { append } from '../../../server/src/append';
import { collect } from '../../../server/src/cli/collect';
import { FamilyMappings, recognizeHook } from '../../../server/src/families/registry';
import { listFolder } from '../../../server/src/hooks/lintHook';
import { loadShellParser } from '../../../server/src/shell/parser';
import { HookReport, scanHooks } from '../../../server/src/workspace/scan';
import { fileName } from '../fileNames';
import { findingProblems, FuzzTarget } from '../harness';

type EntryKind = 'file' | 'fifo' | 'link-zero' | 'link-fifo' | 'link-file' | 'link-folder' | 'dangling';

interface Entry {
  readonly folder: 'vpn' | 'shorewall' | 'mapped' | '.';
  readonly name: string;
  readonly kind: EntryKind;
  readonly text: string;
}

export interface WorkspaceInput {
  readonly entries: readonly Entry[];
  readonly mappings: FamilyMappings;
}

interface WorkspaceOutput {
  /** Relative path → codes the scan reported. */
  readonly scan: Readonly<Record<string, readonly string[]>>;
  /** Relative paths the CLI refused as unreadable, and those it would lint. */
  readonly refused: readonly string[];
  readonly linted: readonly string[];
  /** Relative path → what the entry is, for the check (names may repeat: the first entry wins). */
  readonly kinds: Readonly<Record<string, EntryKind>>;
  /** Relative paths of special files with a name a family recognises in its folder: each must be refused. */
  readonly specialHooks: readonly string[];
}

const special: ReadonlySet<EntryKind> = new Set(['fifo', 'link-zero', 'link-fifo']);

const lookalike = fc.constantFrom(
  'Onсonnect_x.sh',
  'ОnConnect.sh',
  'OnDisсonnect_y',
  'ＯｎＣｏｎｎｅｃｔ_z.sh',
  'stаrt',
  'OnConnect\u001b[2J.sh',
  'OnConnect_a\nb.sh',
);
const bomb = fc.integer({ min: 9, max: 30 }).map((n) => '{a,b}'.repeat(n));
const pattern = fc.oneof(
  bomb,
  fc.constantFrom('**/mapped', 'mapped/**', '**/*', `**/${'x'.repeat(600)}`, '{1..100000}/**', '**/{mapped,other}'),
  fc.string({ maxLength: 12 }),
);

const arbitrary: fc.Arbitrary<WorkspaceInput> = fc.record({
  entries: fc.array(
    fc.record({
      folder: fc.constantFrom<Entry['folder']>('vpn', 'shorewall', 'mapped', '.'),
      name: fc.oneof(
        fileName,
        lookalike,
        fc.constantFrom('OnConnect_r.sh', 'OnDisconnect_r.sh', 'start', 'isusable', 'shorewall.conf', '.gitignore'),
      ),
      kind: fc.constantFrom<EntryKind>('file', 'file', 'fifo', 'link-zero', 'link-fifo', 'link-file', 'link-folder', 'dangling'),
      text: fc.constantFrom('#!/bin/sh\nip route add 10.1.0.0/16 dev tun0\n', 'exit 1\n', '', 'build\n'),
    }),
    { maxLength: 8 },
  ),
  mappings: fc.dictionary(pattern, fc.constantFrom('anyconnect', 'shorewall'), { maxKeys: 3 }),
});

/** Builds the workspace in a new temporary folder, leaving out names a file system cannot hold as given (lone surrogates, too long). */
function build(input: WorkspaceInput): { root: string; kinds: Record<string, EntryKind> } {
  const root = fs.mkdtempSync(path.join(base(), 'hooksmith-fuzz-ws-'));
  const outside = path.join(root, '..', `${path.basename(root)}-outside`);
  fs.mkdirSync(outside);
  const pipe = path.join(outside, 'pipe');
  const kinds: Record<string, EntryKind> = {};
  for (const e of input.entries) {
    const relative = path.join(e.folder, e.name);
    const file = path.join(root, relative);
    if (
      kinds[relative] !== undefined ||
      e.name === '.' ||
      e.name === '..' ||
      /[/\u0000]/.test(e.name) ||
      Buffer.byteLength(e.name) > 200 ||
      Buffer.from(e.name).toString() !== e.name
    )
      continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (e.kind === 'file') fs.writeFileSync(file, e.text, { mode: 0o755 });
    else if (e.kind === 'fifo') mkfifo(file);
    else if (e.kind === 'link-zero') fs.symlinkSync('/dev/zero', file);
    else if (e.kind === 'link-fifo') fs.symlinkSync(fs.existsSync(pipe) ? pipe : mkfifo(pipe), file);
    else if (e.kind === 'link-file') fs.symlinkSync(writeOutside(outside, relative, e.text), file);
    else if (e.kind === 'link-folder') fs.symlinkSync(outside, file);
    else fs.symlinkSync(path.join(outside, 'nowhere'), file);
    kinds[relative] = e.kind;
  }
  return { root, kinds };
}

/**
 * Where the workspaces go: in memory when the machine has /dev/shm. A case builds and removes two
 * workspaces, and on a disk their folders' removal alone cost more than the scan.
 */
function base(): string {
  if (workspaces === undefined) {
    try {
      fs.accessSync('/dev/shm', fs.constants.W_OK);
      workspaces = '/dev/shm';
    } catch {
      workspaces = os.tmpdir();
    }
  }
  return workspaces;
}

let workspaces: string | undefined;

let fifoPool: string | undefined;

/**
 * A FIFO at `file`: a hard link to one made once per run (a FIFO through the mkfifo program, as
 * Node cannot make one, cost a process per FIFO, most of a case's time). Each link is a FIFO no
 * process has open, as a new one would be: opening it to read blocks just the same.
 */
function mkfifo(file: string): string {
  if (fifoPool === undefined) {
    const pool = fs.mkdtempSync(path.join(base(), 'hooksmith-fuzz-fifo-'));
    process.once('exit', () => fs.rmSync(pool, { recursive: true, force: true }));
    const made = spawnSync('mkfifo', [path.join(pool, 'fifo')], { timeout: 5000 });
    if (made.status !== 0) throw new Error(`mkfifo in ${pool} failed: ${String(made.stderr)}`);
    fifoPool = path.join(pool, 'fifo');
  }
  fs.linkSync(fifoPool, file);
  return file;
}

function writeOutside(outside: string, relative: string, text: string): string {
  const file = path.join(outside, relative.replace(/[\\/]/g, '_'));
  fs.writeFileSync(file, text, { mode: 0o755 });
  return file;
}

/** A run that never returns is a failure of this target, not a hung fuzz run. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${ms} ms: a read blocked`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

async function examineWorkspace(input: WorkspaceInput): Promise<WorkspaceOutput> {
  const { root, kinds } = build(input);
  try {
    const reports: HookReport[] = [];
    await within(
      5000,
      scanHooks(root, (_, found) => void append(reports, found), { mappings: input.mappings }),
    );
    const rel = (file: string): string => path.relative(root, file);
    const scan = Object.fromEntries(reports.map((r) => [rel(r.file), r.findings.map((f) => f.code)]).sort());
    const collected = await collect([root], input.mappings);
    const specialHooks = Object.keys(kinds)
      .filter(
        (k) =>
          special.has(kinds[k]) &&
          !/\.xml$/i.test(k) &&
          recognizeHook(path.join(root, k), listFolder(path.dirname(path.join(root, k))), input.mappings),
      )
      .sort();
    for (const r of reports) {
      const problems = findingProblems(r.text, r.findings);
      if (problems.length) throw new Error(`${rel(r.file)}: ${problems.join('; ')}`);
    }
    return {
      scan,
      refused: collected.unreadable.map((u) => rel(u.path)).sort(),
      linted: collected.files.map((f) => rel(f.path)).sort(),
      kinds,
      specialHooks,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(`${root}-outside`, { recursive: true, force: true });
  }
}

function checkWorkspace(output: WorkspaceOutput): string[] {
  const problems: string[] = [];
  for (const [file, codes] of Object.entries(output.scan)) {
    const kind = output.kinds[file];
    const hs114 = codes.includes('HS114');
    if (kind === undefined) problems.push(`the scan reported ${JSON.stringify(file)}, which the workspace does not hold`);
    else if (special.has(kind) && (codes.length !== 1 || !hs114))
      problems.push(`${JSON.stringify(file)} (${kind}) got ${codes.join(', ') || 'nothing'} from the scan, not one HS114`);
    else if (!special.has(kind) && hs114) problems.push(`${JSON.stringify(file)} (${kind}) is readable but got HS114`);
  }
  for (const file of output.refused) {
    if (!special.has(output.kinds[file]))
      problems.push(`the CLI refused ${JSON.stringify(file)} (${output.kinds[file]}), a regular file or a link to one`);
  }
  for (const file of output.linted) {
    if (special.has(output.kinds[file])) problems.push(`the CLI would read ${JSON.stringify(file)} (${output.kinds[file]})`);
  }
  // The one rule for links: a hook the scan refuses is one the CLI refuses, and the other way round.
  const scanRefused = Object.entries(output.scan)
    .filter(([, codes]) => codes.includes('HS114'))
    .map(([f]) => f)
    .sort();
  const cliRefusedHooks = output.refused.filter((f) => !/\.xml$/i.test(f));
  if (JSON.stringify(scanRefused) !== JSON.stringify(output.specialHooks))
    problems.push(
      `the scan refused ${JSON.stringify(scanRefused)}, not every special file with a hook's name: ${JSON.stringify(output.specialHooks)}`,
    );
  if (JSON.stringify(scanRefused) !== JSON.stringify(cliRefusedHooks))
    problems.push(`the scan refused ${JSON.stringify(scanRefused)} but the CLI ${JSON.stringify(cliRefusedHooks)}`);
  return problems;
}

export const hostileWorkspaceTarget: FuzzTarget<WorkspaceInput> = {
  name: 'hostile workspaces',
  arbitrary,
  setup: async () => void (await loadShellParser()),
  run: (input) => examineWorkspace(input),
  check: (_input, output) => checkWorkspace(output as WorkspaceOutput),
  show: (input) => JSON.stringify(input),
};
