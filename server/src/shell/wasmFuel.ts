/**
 * Fuel for the shell parser's WebAssembly: a rewrite of the runtime module that makes every
 * function entry spend one unit of a counter, and traps (`unreachable`) when the counter is at 0.
 *
 * Why: tree-sitter's error recovery can go exponential on a few hundred bytes of broken shell
 * (pending here-documents, an unclosed `$((`, lines of `} |`: its graph-structured stack merges
 * link by link, recursively, in `stack_node_add_link`, with no memo). That work reads no input and
 * never reaches the progress callback (it is only called between parse steps), so no budget web-tree-sitter
 * offers can stop it. A count of calls can, and it is the same on every machine and under any load.
 *
 * The rewrite adds one mutable i32 global, exported as `fuelExport`, and exports the module's own
 * mutable globals as `globalExport + i`, so that a caller can save and restore the whole state of
 * an instance (its memory and these globals). Nothing else changes: no index moves.
 */
export const fuelExport = 'hooksmith_fuel';
export const globalExport = 'hooksmith_global_';

/** What the counter holds outside a counted parse: about 4 billion calls, never reached by a walk of a tree. */
export const unmetered = 0xffffffff;

interface Section {
  readonly id: number;
  /** The section's contents, after its id and size. */
  readonly body: Uint8Array;
}

const enum SectionId {
  Import = 2,
  Global = 6,
  Export = 7,
  Code = 10,
}

const enum ExternalKind {
  Function = 0,
  Table = 1,
  Memory = 2,
  Global = 3,
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {}

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

  /** A table's or memory's limits. */
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

function u32Bytes(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 0x80;
    rest = Math.floor(rest / 0x80);
    if (rest) byte |= 0x80;
    out.push(byte);
  } while (rest);
  return out;
}

function sectionsOf(wasm: Uint8Array): Section[] {
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

function importedGlobals(imports: Section | undefined): number {
  if (!imports) return 0;
  const reader = new Reader(imports.body);
  let globals = 0;
  for (let n = reader.u32(); n > 0; n--) {
    reader.skip(reader.u32()); // module
    reader.skip(reader.u32()); // name
    const kind = reader.byte();
    if (kind === ExternalKind.Function) reader.u32();
    else if (kind === ExternalKind.Table) {
      reader.byte();
      reader.limits();
    } else if (kind === ExternalKind.Memory) reader.limits();
    else if (kind === ExternalKind.Global) {
      reader.skip(2);
      globals++;
    } else throw new Error(`Unknown import kind ${kind} in the WebAssembly module.`);
  }
  return globals;
}

/** The indices (among all globals) of the module's own mutable globals, and the global section with the fuel counter added. */
function withFuelGlobal(global: Section | undefined, imported: number): { section: Uint8Array; mutable: number[]; fuel: number } {
  const reader = new Reader(global?.body ?? new Uint8Array([0]));
  const count = reader.u32();
  const first = reader.at;
  const mutable: number[] = [];
  for (let i = 0; i < count; i++) {
    reader.byte(); // value type
    if (reader.byte() === 1) mutable.push(imported + i);
    skipConstantExpression(reader);
  }
  const fuelGlobal = [0x7f, 0x01, 0x41, ...signedBytes(unmetered | 0), 0x0b]; // mut i32 = unmetered
  const section = concat([u32Bytes(count + 1), reader.bytes.subarray(first, reader.at), fuelGlobal]);
  return { section, mutable, fuel: imported + count };
}

/** i32.const, global.get (or i64.const) then `end`: the constant expressions an Emscripten module uses. */
function skipConstantExpression(reader: Reader): void {
  for (let op = reader.byte(); op !== 0x0b; op = reader.byte()) {
    if (op === 0x41 || op === 0x42 || op === 0x23) reader.u32();
    else if (op === 0x43) reader.skip(4);
    else if (op === 0x44) reader.skip(8);
    else throw new Error(`Unexpected opcode 0x${op.toString(16)} in a global's initial value.`);
  }
}

function signedBytes(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if ((rest === 0 && !(byte & 0x40)) || (rest === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function name(text: string): number[] {
  const bytes = Buffer.from(text, 'utf8');
  return [...u32Bytes(bytes.length), ...bytes];
}

function withExports(exports: Section | undefined, added: ReadonlyArray<readonly [string, number]>): Uint8Array {
  const reader = new Reader(exports?.body ?? new Uint8Array([0]));
  const count = reader.u32();
  const entries = added.map(([text, index]) => [...name(text), ExternalKind.Global, ...u32Bytes(index)]);
  return concat([u32Bytes(count + added.length), reader.bytes.subarray(reader.at), ...entries]);
}

/** Every function body with the fuel check first: if fuel is 0, trap; else spend one. */
function meteredCode(code: Section, fuel: number): Uint8Array {
  const g = u32Bytes(fuel);
  // global.get fuel; i32.eqz; if; unreachable; end; global.get fuel; i32.const 1; i32.sub; global.set fuel
  const check = [0x23, ...g, 0x45, 0x04, 0x40, 0x00, 0x0b, 0x23, ...g, 0x41, 0x01, 0x6b, 0x24, ...g];
  const reader = new Reader(code.body);
  const count = reader.u32();
  const parts: ArrayLike<number>[] = [u32Bytes(count)];
  for (let i = 0; i < count; i++) {
    const size = reader.u32();
    const start = reader.at;
    for (let groups = reader.u32(); groups > 0; groups--) {
      reader.u32();
      reader.byte();
    }
    const locals = code.body.subarray(start, reader.at);
    const instructions = code.body.subarray(reader.at, start + size);
    parts.push(u32Bytes(locals.length + check.length + instructions.length), locals, check, instructions);
    reader.at = start + size;
  }
  return concat(parts);
}

function concat(parts: ReadonlyArray<ArrayLike<number>>): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The module's bytes with the fuel counter added (see the top of this file). */
export function withFuel(wasm: Uint8Array): Uint8Array {
  const sections = sectionsOf(wasm);
  const find = (id: number): Section | undefined => sections.find((s) => s.id === id);
  const code = find(SectionId.Code);
  if (!code) throw new Error('The WebAssembly module has no code.');
  const global = withFuelGlobal(find(SectionId.Global), importedGlobals(find(SectionId.Import)));
  const exports = withExports(find(SectionId.Export), [
    [fuelExport, global.fuel],
    ...global.mutable.map((index, i): [string, number] => [globalExport + i, index]),
  ]);
  const replaced = new Map<number, Uint8Array>([
    [SectionId.Global, global.section],
    [SectionId.Export, exports],
    [SectionId.Code, meteredCode(code, global.fuel)],
  ]);
  const parts: ArrayLike<number>[] = [wasm.subarray(0, 8)];
  const emit = (id: number, body: Uint8Array): void => void parts.push([id, ...u32Bytes(body.length)], body);
  for (const s of sections) {
    // A module without globals gets its global section just before its exports.
    if (s.id === SectionId.Export && !find(SectionId.Global)) emit(SectionId.Global, global.section);
    emit(s.id, replaced.get(s.id) ?? s.body);
  }
  return concat(parts);
}
