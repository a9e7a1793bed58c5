// Shared by the abuse tests: example trees on disk, comparable diagnostics, liveness checks.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../../helpers/lspClient';
import { processTable } from '../../../server/src/simulate/group';

const repoRoot = path.resolve(__dirname, '../../../..');
export const examples = path.join(repoRoot, 'examples');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hooksmith-abuse-${prefix}-`));
}

/**
 * Copies examples/ to `dir`, modes included. Hook rules read a hook's folder (siblings, the
 * execute bit, the OnDisconnect hook that undoes a route) and profile rules the script folder
 * beside the profile, so two documents compare fairly only in two identical copies of it.
 */
export function copyExamples(dir: string): string {
  fs.cpSync(examples, dir, { recursive: true });
  return dir;
}

export const uriOf = (file: string): string => pathToFileURL(file).toString();

/** What a user sees of a diagnostic; ShellCheck's fix data names the version it was made for, which is dropped. */
function comparable(d: Diagnostic): unknown {
  const data =
    d.source === 'shellcheck' && typeof d.data === 'object' && d.data !== null ? { ...(d.data as object), version: undefined } : d.data;
  return { source: d.source, code: d.code, severity: d.severity, range: d.range, message: d.message, data };
}

/** Diagnostics in a stable order (producers may publish in either order). */
export function sorted(ds: readonly Diagnostic[]): unknown[] {
  const key = (d: Diagnostic): string => JSON.stringify(comparable(d));
  return [...ds].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map(comparable);
}

/** The server answers a request: documentSymbol on a document that was never opened is an empty list. */
export async function assertAnswers(client: LspClient, why: string): Promise<void> {
  assert.ok(client.alive, `the server is alive ${why}`);
  assert.deepEqual(await client.documentSymbols('file:///never/opened.xml'), [], `the server answers ${why}`);
}

/** User + system CPU time of a process in ms, from /proc (clock ticks are 100 Hz on Linux). */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime are fields 14, 15
}

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Living children of `ppid` whose command name is `name`, from the simulator's /proc table. */
function childrenNamed(ppid: number, name: string): number[] {
  return (processTable() ?? []).filter((p) => p.living && p.ppid === ppid && commandName(p.pid) === name).map((p) => p.pid);
}

function commandName(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trimEnd();
  } catch {
    return undefined; // gone while we looked
  }
}

/**
 * The first child of `ppid` named `name`. No event tells us that a process we did not spawn
 * started, so this is a short poll of /proc with a deadline (as survivorsOf polls for deaths).
 */
export async function childStarted(ppid: number, name: string, withinMs = 10_000): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const [pid] = childrenNamed(ppid, name);
    if (pid !== undefined) return pid;
    if (Date.now() > deadline) throw new Error(`no ${name} child of ${ppid} within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
