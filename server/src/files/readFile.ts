/**
 * The one way Hooksmith reads a file from a workspace (language server, CLI, simulator).
 *
 * A repository can hold anything: a link to /dev/zero, a FIFO, a socket, a 50 MB file. So:
 * only regular files are read (links are followed, then the kind is checked on the opened
 * descriptor too, so a swap between the two checks is caught); the size from stat is never
 * trusted (a device says 0); the read stops at limit + 1 bytes; the open is non-blocking (a
 * FIFO opened for reading would otherwise wait for a writer for ever, in the event loop or in
 * one of libuv's four pool threads).
 */
import * as fs from 'node:fs';

/** What a refused path is, in words for a message: "a FIFO (named pipe)", "a folder", ... */
export type SpecialKind = string;

export type ReadResult =
  | { readonly kind: 'read'; readonly bytes: Buffer }
  /** Over the limit: only the first bytes were read (enough to place one finding on line 1). */
  | { readonly kind: 'too-large'; readonly head: Buffer; readonly limit: number }
  /** Not a regular file after following links: nothing was read. */
  | { readonly kind: 'not-regular'; readonly what: SpecialKind }
  | { readonly kind: 'missing' }
  | { readonly kind: 'error'; readonly reason: string };

const { O_RDONLY, O_NONBLOCK, O_NOCTTY } = fs.constants;
const openFlags = O_RDONLY | (O_NONBLOCK ?? 0) | (O_NOCTTY ?? 0);
const chunk = 64 * 1024;
/** What is kept of a file over the limit: enough to tell a profile and to place one finding on line 1. */
const headBytes = 8192;

/** Links to folders are not followed by the walks, so a hook's name on one is passed over without a finding. */
export const aFolder = 'a folder';

/** The kind of a non-regular file, for messages; undefined for a regular file. */
export function specialKind(stat: fs.Stats): SpecialKind | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return aFolder;
  return 'not a regular file';
}

/** "X is a FIFO (named pipe), not a regular file: it was not read." */
export function refusal(name: string, what: SpecialKind): string {
  return `${name} is ${what}, not a regular file: Hooksmith reads only regular files (after following links), so it was not read.`;
}

/** A regular file's bytes, at most `limit` of them; asynchronous, so nothing here can hold up the event loop. */
export async function readRegularFile(file: string, limit: number): Promise<ReadResult> {
  const before = await fs.promises.stat(file).catch((e: unknown) => e as NodeJS.ErrnoException);
  if (before instanceof Error) return failure(before);
  const early = specialKind(before);
  if (early) return { kind: 'not-regular', what: early }; // not even opened: opening a device can have effects
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, openFlags);
  } catch (e) {
    return failure(e as NodeJS.ErrnoException);
  }
  try {
    const opened = await handle.stat();
    const what = specialKind(opened);
    if (what) return { kind: 'not-regular', what };
    return await bounded(new Accumulator(limit, opened.size), (buf, at) => handle.read(buf, 0, buf.length, at).then((r) => r.bytesRead));
  } catch (e) {
    return failure(e as NodeJS.ErrnoException);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The same, synchronously, for the few callers that must answer at once (a hook rule reading a
 * sibling hook). Safe for the same reasons: only regular files reach a read, and a read of a
 * regular file cannot wait on anyone; it stops at `limit` + 1 bytes.
 */
export function readRegularFileSync(file: string, limit: number): ReadResult {
  let fd: number | undefined;
  try {
    const early = specialKind(fs.statSync(file));
    if (early) return { kind: 'not-regular', what: early };
    fd = fs.openSync(file, openFlags);
    const stat = fs.fstatSync(fd);
    const what = specialKind(stat);
    if (what) return { kind: 'not-regular', what };
    const opened = fd;
    return boundedSync(new Accumulator(limit, stat.size), (buf, at) => fs.readSync(opened, buf, 0, buf.length, at));
  } catch (e) {
    return failure(e as NodeJS.ErrnoException);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Standard input (`-` on the command line), at most `limit` bytes; whatever it is, a pipe included. */
export async function readStream(stream: NodeJS.ReadableStream, limit: number): Promise<ReadResult> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of stream) {
      const b = typeof part === 'string' ? Buffer.from(part) : (part as Buffer);
      parts.push(b);
      size += b.length;
      if (size > limit) break; // leaves the rest unread: a producer that never stops does not grow us
    }
  } catch (e) {
    return failure(e as NodeJS.ErrnoException);
  }
  const bytes = Buffer.concat(parts);
  return size > limit ? { kind: 'too-large', head: bytes.subarray(0, headBytes), limit } : { kind: 'read', bytes };
}

/** Reads chunk by chunk from offset 0 until end of file or limit + 1 bytes. */
async function bounded(acc: Accumulator, read: (buf: Buffer, at: number) => Promise<number>): Promise<ReadResult> {
  for (;;) {
    const buf = acc.nextBuffer();
    const done = acc.add(buf, await read(buf, acc.size));
    if (done) return done;
  }
}

function boundedSync(acc: Accumulator, read: (buf: Buffer, at: number) => number): ReadResult {
  for (;;) {
    const buf = acc.nextBuffer();
    const done = acc.add(buf, read(buf, acc.size));
    if (done) return done;
  }
}

/**
 * The chunks read so far; says when to stop (end of file, or one byte past the limit). The size
 * stat gave is a hint, never trusted: the first buffer holds it and one byte more (a 5 MB profile
 * is read in two reads, not eighty, and not copied again), and reading goes on to end of file.
 */
class Accumulator {
  private readonly parts: Buffer[] = [];
  size = 0;
  constructor(
    private readonly limit: number,
    private sizeHint = 0,
  ) {}

  nextBuffer(): Buffer {
    const want = Math.max(chunk, this.sizeHint + 1);
    this.sizeHint = 0;
    return Buffer.allocUnsafe(Math.min(want, this.limit + 1 - this.size));
  }

  add(buf: Buffer, n: number): ReadResult | undefined {
    if (n === 0) return { kind: 'read', bytes: this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size) };
    this.parts.push(buf.subarray(0, n));
    this.size += n;
    if (this.size > this.limit)
      return { kind: 'too-large', head: Buffer.concat(this.parts, Math.min(this.size, headBytes)), limit: this.limit };
    return undefined;
  }
}

function failure(e: NodeJS.ErrnoException): ReadResult {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR' || e.code === 'ELOOP') return { kind: 'missing' };
  if (e.code === 'EACCES') return { kind: 'error', reason: 'permission denied' };
  if (e.code === 'EAGAIN') return { kind: 'error', reason: 'it would block (not a regular file)' };
  return { kind: 'error', reason: e.message };
}

/** The text of a regular file of at most `limit` bytes, decoded as UTF-8; undefined otherwise. For rules that read a sibling. */
export function readSmallTextSync(file: string, limit: number): string | undefined {
  const r = readRegularFileSync(file, limit);
  return r.kind === 'read' ? r.bytes.toString('utf8') : undefined;
}

/** The first bytes of a regular file (at most `limit` + 1 are read); undefined when it is not one or cannot be read. */
export function readHeadSync(file: string, limit: number): Buffer | undefined {
  const r = readRegularFileSync(file, limit);
  return r.kind === 'read' ? r.bytes : r.kind === 'too-large' ? r.head : undefined;
}
