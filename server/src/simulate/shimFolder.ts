/**
 * Where the shims live: one folder per process (not per dry run), holding a `bin` folder per set
 * of shim names and a pool of record channels (FIFOs). Writing 17 files and starting mkfifo for
 * every dry run was most of a dry run's own cost; now a run takes a channel from the pool and
 * checks that its shims are still the ones written.
 *
 * The shims are read-only to the hooks in a sandbox (bound read-only). Without one, a hook runs as
 * this user and can write anything this user can, the shims included: so before each run the
 * `bin` folder is checked against what was written (names, types, modes, contents) and, when a
 * hook changed it, written again in place (a rename over each file, so no call ever finds a shim
 * missing and falls through to the real command). What a hook does to its shims never reaches a
 * later run.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownedTempFolder, TempFolder } from './tempFolder';

/** A `bin` folder of shims, shared by every dry run of this process that uses the same names. */
export interface ShimBin {
  readonly dir: string;
  readonly names: ReadonlySet<string>;
}

interface Bin extends ShimBin {
  readonly script: string;
}

let root: TempFolder | undefined;
const bins = new Map<string, Bin>();

/**
 * The process's shim folder: made at the first dry run, removed when the process exits (or by its
 * janitor when it dies). Made anew if something removed it: the shims and channels in it went too.
 */
function shimRoot(): TempFolder {
  if (root && fs.existsSync(root.dir)) return root;
  if (root) {
    root.dispose();
    bins.clear();
    pool.splice(0).forEach(closeQuietly);
  } else {
    process.once('exit', () => root?.dispose());
  }
  root = ownedTempFolder('hooksmith-shims-');
  return root;
}

/** The shims for these names, as written and intact: checked (and written again if a hook changed them) on every call. */
export function shimBin(names: ReadonlySet<string>, script: string): ShimBin {
  const key = [...names].sort().join(' ');
  const top = shimRoot();
  let bin = bins.get(key);
  if (!bin) {
    bin = { dir: path.join(top.dir, `bin-${bins.size}`), names, script };
    bins.set(key, bin);
    fs.mkdirSync(bin.dir, { mode: 0o755 });
  }
  if (!intact(bin)) rewrite(bin);
  return bin;
}

const shimMode = 0o555;

/** The folder holds exactly the shims written, each a plain file with the shim's mode and text. */
export function intact(bin: ShimBin & { readonly script: string }): boolean {
  try {
    const top = fs.lstatSync(bin.dir);
    if (!top.isDirectory()) return false;
    const entries = fs.readdirSync(bin.dir);
    if (entries.length !== bin.names.size || entries.some((e) => !bin.names.has(e))) return false;
    const size = Buffer.byteLength(bin.script);
    for (const name of entries) {
      const file = path.join(bin.dir, name);
      const st = fs.lstatSync(file);
      if (!st.isFile() || (st.mode & 0o7777) !== shimMode || st.nlink !== 1 || st.size !== size) return false;
      if (fs.readFileSync(file, 'utf8') !== bin.script) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Writes the folder again where it is: each shim to a new file renamed over the old, anything else removed. */
function rewrite(bin: Bin): void {
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(bin.dir);
  } catch {
    st = undefined;
  }
  if (st && !st.isDirectory()) fs.rmSync(bin.dir, { force: true, recursive: true });
  fs.mkdirSync(bin.dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(bin.dir, 0o755);
  for (const entry of fs.readdirSync(bin.dir))
    if (!bin.names.has(entry)) fs.rmSync(path.join(bin.dir, entry), { force: true, recursive: true });
  for (const name of bin.names) {
    const file = path.join(bin.dir, name);
    const fresh = path.join(bin.dir, `.${name}.new`);
    fs.writeFileSync(fresh, bin.script, { mode: shimMode });
    fs.chmodSync(fresh, shimMode); // the umask may have taken bits away
    fs.renameSync(fresh, file); // atomic: a call in between finds the old shim or the new one, never none
    if (fs.lstatSync(file).isDirectory()) fs.rmSync(file, { recursive: true, force: true });
  }
}

// ── the record channels ──

/**
 * A FIFO made ahead of time, held open for reading and writing (so opening it never blocks, and it
 * never reaches end of file), alone in its folder: a sandbox shows the hooks that folder, and a
 * folder, unlike a file, leaves no trace among the files a run created.
 */
export interface PooledChannel {
  readonly file: string;
  readonly fd: number;
}

const pool: PooledChannel[] = [];
// Starting mkfifo stalls this process for its fork (several ms with a large heap, tens under load):
// one start makes enough channels for many dry runs. Each pooled channel holds one fd.
const batch = 32;
let made = 0;
let refilling = false;

/** How many channels the pool holds open (one fd each): a bounded cache, not a leak, for the bench's fd count. */
export function pooledChannels(): number {
  return pool.length;
}

/**
 * A fresh channel for one dry run (a simulation's sequence shares it): taken from the pool, which
 * an mkfifo in the background fills again before it runs out. Undefined when no FIFO can be made
 * (the shims then say the channel is gone).
 */
export function takeChannel(): PooledChannel | undefined {
  const logs = logFolder();
  if (!pool.length) {
    const files = fifoNames(logs);
    fill(files, spawnSync('mkfifo', ['-m', '600', ...files]).status === 0);
  }
  let channel = pool.shift();
  while (channel && !stillOurs(channel)) {
    closeQuietly(channel);
    channel = pool.shift();
  }
  if (pool.length < batch / 2) refill(logs);
  if (channel) drain(channel.fd);
  return channel;
}

/**
 * The channel made again at the same path, after a hook deleted or replaced its FIFO (its folder is
 * the hook's to write in shims mode): the old one is closed by its listener. Undefined when no FIFO
 * can be made there.
 */
export function remakeChannel(channel: PooledChannel): PooledChannel | undefined {
  const folder = path.dirname(channel.file);
  try {
    fs.rmSync(folder, { force: true, recursive: true });
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (spawnSync('mkfifo', ['-m', '600', channel.file]).status !== 0) return undefined;
    return { file: channel.file, fd: fs.openSync(channel.file, fs.constants.O_RDWR | fs.constants.O_NONBLOCK) };
  } catch {
    return undefined;
  }
}

/** The channel is done with: its FIFO goes (a writer left over from its run can reach no later one). */
export function dropChannel(channel: PooledChannel): void {
  fs.rmSync(path.dirname(channel.file), { force: true, recursive: true });
}

function logFolder(): string {
  const logs = path.join(shimRoot().dir, 'log');
  fs.mkdirSync(logs, { recursive: true });
  return logs;
}

function fifoNames(logs: string): string[] {
  return Array.from({ length: batch }, () => {
    const folder = path.join(logs, String(made++));
    fs.mkdirSync(folder);
    return path.join(folder, 'channel');
  });
}

/** The FIFOs mkfifo made, opened into the pool (unless the process's folder was made anew meanwhile). */
function fill(files: readonly string[], ok: boolean): void {
  const current = root && path.dirname(path.dirname(files[0])) === path.join(root.dir, 'log');
  for (const file of files) {
    try {
      if (ok && current) pool.push({ file, fd: fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_NONBLOCK) });
      else fs.rmSync(path.dirname(file), { force: true, recursive: true });
    } catch {
      fs.rmSync(path.dirname(file), { force: true, recursive: true });
    }
  }
}

function refill(logs: string): void {
  if (refilling) return;
  refilling = true;
  const files = fifoNames(logs);
  const child = spawn('mkfifo', ['-m', '600', ...files], { stdio: 'ignore' });
  child.unref();
  let settled = false;
  const done = (ok: boolean): void => {
    if (settled) return;
    settled = true;
    refilling = false;
    fill(files, ok);
  };
  child.once('error', () => done(false));
  child.once('exit', (code) => done(code === 0));
}

/** The path still names the FIFO the pool holds open: nothing renamed, replaced or linked it meanwhile. */
export function stillOurs(channel: PooledChannel): boolean {
  try {
    const held = fs.fstatSync(channel.fd);
    const named = fs.lstatSync(channel.file);
    return named.isFIFO() && named.ino === held.ino && named.dev === held.dev;
  } catch {
    return false;
  }
}

/** Whatever a process wrote into the FIFO before the run took it is not that run's. */
function drain(fd: number): void {
  const buf = Buffer.alloc(65536);
  try {
    while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
  } catch {
    // EAGAIN: empty
  }
}

function closeQuietly(channel: PooledChannel): void {
  try {
    fs.closeSync(channel.fd);
  } catch {
    // already closed
  }
}
