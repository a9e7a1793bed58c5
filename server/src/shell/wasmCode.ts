/**
 * Reading a WebAssembly 1.0 module: its sections, and what each function's code can do that
 * could run without bound — call (directly, through the table, or out to an import) and loop.
 * wasmFuel.ts rewrites the module from this; nothing here changes bytes.
 */

export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  /** An unsigned LEB128 number; also skips a signed one (the value is then wrong, the position right). */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.bytes[this.at++];
      if (byte === undefined) throw new Error('The WebAssembly module ends inside a number.');
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  }

  byte(): number {
    const byte = this.bytes[this.at++];
    if (byte === undefined) throw new Error('The WebAssembly module ends early.');
    return byte;
  }

  skip(count: number): void {
    this.at += count;
  }

  /** A table's or memory's limits: their minimum. */
  limits(): number {
    const flags = this.byte();
    const minimum = this.u32();
    if (flags & 1) this.u32();
    return minimum;
  }

  name(): string {
    const length = this.u32();
    const text = Buffer.from(this.bytes.subarray(this.at, this.at + length)).toString('utf8');
    this.at += length;
    return text;
  }
}

export interface Section {
  readonly id: number;
  /** The section's contents, after its id and size. */
  readonly body: Uint8Array;
}

export const enum SectionId {
  Type = 1,
  Import = 2,
  Function = 3,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
}

export const enum ExternalKind {
  Function = 0,
  Table = 1,
  Memory = 2,
  Global = 3,
}

export function sectionsOf(wasm: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (!magic.every((b, i) => wasm[i] === b)) throw new Error('Not a WebAssembly 1.0 module.');
  const reader = new Reader(wasm, magic.length);
  const sections: Section[] = [];
  while (reader.at < wasm.length) {
    const id = reader.byte();
    const size = reader.u32();
    sections.push({ id, body: wasm.subarray(reader.at, reader.at + size) });
    reader.skip(size);
  }
  return sections;
}

export interface Imports {
  /** Imported functions, in index order: their names (without the module) and type indices. */
  readonly functions: readonly { readonly name: string; readonly type: number }[];
  readonly globals: number;
  /** The imported memory's minimum size, in 64 KB pages, and where in the section its limits are. */
  readonly memory?: { readonly pages: number; readonly limits: number; readonly end: number };
}

export function importsOf(imports: Section | undefined): Imports {
  const functions: { name: string; type: number }[] = [];
  let globals = 0;
  let memory: Imports['memory'];
  if (!imports) return { functions, globals };
  const reader = new Reader(imports.body);
  for (let n = reader.u32(); n > 0; n--) {
    reader.skip(reader.u32()); // module
    const name = reader.name();
    const kind = reader.byte();
    if (kind === ExternalKind.Function) functions.push({ name, type: reader.u32() });
    else if (kind === ExternalKind.Table) {
      reader.byte();
      reader.limits();
    } else if (kind === ExternalKind.Memory) {
      const limits = reader.at;
      memory = { pages: reader.limits(), limits, end: reader.at };
    } else if (kind === ExternalKind.Global) {
      reader.skip(2);
      globals++;
    } else throw new Error(`Unknown import kind ${kind} in the WebAssembly module.`);
  }
  return { functions, globals, memory };
}

/** Each type of the type section as text ("7f7f:7f" for i32 i32 -> i32), so that two modules' types compare. */
export function typesOf(types: Section | undefined): string[] {
  if (!types) return [];
  const reader = new Reader(types.body);
  const out: string[] = [];
  const valueTypes = (): string => {
    const count = reader.u32();
    const bytes = reader.bytes.subarray(reader.at, reader.at + count);
    reader.skip(count);
    return Buffer.from(bytes).toString('hex');
  };
  for (let n = reader.u32(); n > 0; n--) {
    if (reader.byte() !== 0x60) throw new Error('The WebAssembly module has a type that is not a function type.');
    out.push(`${valueTypes()}:${valueTypes()}`);
  }
  return out;
}

/** The type index of each function the module defines (the function section). */
export function definedTypes(functions: Section | undefined): number[] {
  if (!functions) return [];
  const reader = new Reader(functions.body);
  const out: number[] = [];
  for (let n = reader.u32(); n > 0; n--) out.push(reader.u32());
  return out;
}

/** One function body of the code section, as byte ranges of that section's body. */
export interface Body {
  /** Where the body starts (after its size) and ends. */
  readonly first: number;
  readonly end: number;
  /** Where its local declarations end and its instructions begin. */
  readonly code: number;
}

export function bodiesOf(code: Section): Body[] {
  const reader = new Reader(code.body);
  const bodies: Body[] = [];
  for (let n = reader.u32(); n > 0; n--) {
    const size = reader.u32();
    const first = reader.at;
    for (let groups = reader.u32(); groups > 0; groups--) {
      reader.u32();
      reader.byte();
    }
    bodies.push({ first, end: first + size, code: reader.at });
    reader.at = first + size;
  }
  return bodies;
}

/** Calls made from one place: by index (imports first, as in the module), and through a table by type index. */
export interface Calls {
  readonly direct: readonly number[];
  readonly indirect: readonly number[];
}

/** A loop whose own body (not counting nested loops) calls. */
export interface CallingLoop extends Calls {
  /** The offset just after its `loop` opcode and block type, where a check for each turn goes. */
  readonly head: number;
}

/** A call through a table: where its opcode is, and the type it calls. */
export interface IndirectCall {
  readonly at: number;
  readonly type: number;
}

/** What a function's instructions do that matters for bounding its work. */
export interface Reach extends Calls {
  readonly indirectCalls: readonly IndirectCall[];
  readonly callingLoops: readonly CallingLoop[];
}

/** Immediates of plain opcodes: how to skip them. */
function skipImmediates(reader: Reader, op: number): void {
  if (op === 0x0e) {
    for (let n = reader.u32() + 1; n > 0; n--) reader.u32(); // br_table: targets and default
  } else if (op === 0x1c) {
    reader.skip(reader.u32()); // select with types
  } else if ((op >= 0x0c && op <= 0x0d) || (op >= 0x20 && op <= 0x26) || op === 0x41 || op === 0x42 || op === 0xd2) {
    reader.u32();
  } else if (op >= 0x28 && op <= 0x3e) {
    reader.u32(); // align
    reader.u32(); // offset
  } else if (op === 0x3f || op === 0x40 || op === 0xd0) {
    reader.byte();
  } else if (op === 0x43) reader.skip(4);
  else if (op === 0x44) reader.skip(8);
  else if (op === 0xfc) skipMiscImmediates(reader, reader.u32());
  else if (!plainOpcode(op))
    throw new Error(`The shell parser's WebAssembly uses opcode 0x${op.toString(16)}, which fuel metering does not know.`);
}

/** Opcodes without immediates. */
function plainOpcode(op: number): boolean {
  return op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1;
}

/** The 0xfc prefix: saturating truncations, bulk memory and table operations. */
function skipMiscImmediates(reader: Reader, sub: number): void {
  const counts = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1];
  const count = counts[sub];
  if (count === undefined) throw new Error(`The shell parser's WebAssembly uses opcode 0xfc ${sub}, which fuel metering does not know.`);
  for (let i = 0; i < count; i++) reader.u32();
}

/** A block type: empty (0x40), a value type (one byte), or a type index (signed LEB128). */
function skipBlockType(reader: Reader): void {
  const first = reader.bytes[reader.at];
  if (first === 0x40 || (first !== undefined && first >= 0x6f && first <= 0x7f)) reader.skip(1);
  else reader.u32();
}

interface OpenBlock {
  /** For a loop, the offset after its header; undefined for block and if. */
  readonly head?: number;
  readonly direct: number[];
  readonly indirect: number[];
}

/** Walks one function's instructions (from `body.code` to `body.end` of `code`). */
export function reachOf(code: Uint8Array, body: Body): Reach {
  const reader = new Reader(code, body.code);
  const whole: OpenBlock = { direct: [], indirect: [] };
  const open: OpenBlock[] = [];
  const callingLoops: CallingLoop[] = [];
  const indirectCalls: IndirectCall[] = [];
  // A call counts for the whole function and for its innermost loop.
  const called = (kind: 'direct' | 'indirect', target: number): void => {
    whole[kind].push(target);
    for (let i = open.length - 1; i >= 0; i--) {
      if (open[i].head === undefined) continue;
      open[i][kind].push(target);
      return;
    }
  };
  while (reader.at < body.end) {
    const at = reader.at;
    const op = reader.byte();
    if (op === 0x02 || op === 0x03 || op === 0x04) {
      skipBlockType(reader);
      open.push({ head: op === 0x03 ? reader.at : undefined, direct: [], indirect: [] });
    } else if (op === 0x0b) {
      const closed = open.pop();
      if (closed?.head !== undefined && closed.direct.length + closed.indirect.length > 0)
        callingLoops.push({ ...closed, head: closed.head });
    } else if (op === 0x10 || op === 0x12) {
      called('direct', reader.u32()); // call, return_call
    } else if (op === 0x11 || op === 0x13) {
      const type = reader.u32(); // call_indirect, return_call_indirect: type, then table
      reader.u32();
      called('indirect', type);
      indirectCalls.push({ at, type });
    } else skipImmediates(reader, op);
  }
  if (open.length !== 0 || reader.at !== body.end) throw new Error('A function body of the WebAssembly module does not end where it says.');
  return { ...whole, indirectCalls, callingLoops: callingLoops.sort((a, b) => a.head - b.head) };
}

/** Functions a table may hold from the start (element segments' function indices); all forms of segment. */
export function tableFunctions(element: Section | undefined): number[] {
  if (!element) return [];
  const reader = new Reader(element.body);
  const out: number[] = [];
  for (let n = reader.u32(); n > 0; n--) {
    const flags = reader.u32();
    if (flags > 7) throw new Error(`Unknown element segment kind ${flags} in the WebAssembly module.`);
    if (flags === 2 || flags === 6) reader.u32(); // explicit table index
    if ((flags & 1) === 0) skipOffset(reader); // active: its offset
    const expressions = (flags & 4) !== 0;
    if (flags & 3) reader.byte(); // element kind or reference type
    for (let count = reader.u32(); count > 0; count--) {
      if (!expressions) out.push(reader.u32());
      else out.push(...functionsOfExpression(reader));
    }
  }
  return out;
}

function skipOffset(reader: Reader): void {
  for (let op = reader.byte(); op !== 0x0b; op = reader.byte()) skipImmediates(reader, op);
}

function functionsOfExpression(reader: Reader): number[] {
  const out: number[] = [];
  for (let op = reader.byte(); op !== 0x0b; op = reader.byte()) {
    if (op === 0xd2) out.push(reader.u32());
    else skipImmediates(reader, op);
  }
  return out;
}

/** The functions the module exports, by name (JS, or another module linked to it, may call them). */
export function exportedFunctions(exports: Section | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!exports) return out;
  const reader = new Reader(exports.body);
  for (let n = reader.u32(); n > 0; n--) {
    const name = reader.name();
    const kind = reader.byte();
    const index = reader.u32();
    if (kind === ExternalKind.Function) out.set(name, index);
  }
  return out;
}
