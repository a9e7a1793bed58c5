/**
 * Fuel for the shell parser's WebAssembly: a rewrite of the runtime module that makes the places
 * where a run could go on without bound spend one unit of a counter, and trap (`unreachable`) when
 * it is at 0: the entries of the functions on a call-graph cycle and the turns of the loops that
 * call more than bounded code (wasmCallGraph.ts works them out from the module, and says why they
 * are enough). The many small functions and loops of a parse's and a tree walk's hot path run as
 * they were: a hook costs about a quarter of the checks it did when every call was counted.
 *
 * Why: tree-sitter's error recovery can go exponential on a few hundred bytes of broken shell
 * (pending here-documents, an unclosed `$((`, lines of `} |`: its graph-structured stack merges
 * link by link, recursively, in `stack_node_add_link`, with no memo). That work reads no input and
 * never reaches the progress callback (it is only called between parse steps), so no budget web-tree-sitter
 * offers can stop it. A count of steps can, and it is the same on every machine and under any load.
 *
 * The rewrite adds one mutable i32 global, exported as `fuelExport`, and exports the module's own
 * mutable globals as `globalExport + i`, so that a caller can save and restore the whole state of
 * an instance (its memory and these globals). It also lets the module start with less memory
 * (startMemoryPages). Nothing else changes: no index moves.
 */
import { type Linked, linkedOf, type Metering, meteringOf, shapeOf } from './wasmCallGraph';
import { bodiesOf, ExternalKind, type Imports, importsOf, Reader, type Section, SectionId, sectionsOf } from './wasmCode';

export const fuelExport = 'hooksmith_fuel';
export const globalExport = 'hooksmith_global_';

/** What the counter holds outside a counted parse: about 4 billion steps, never reached by a walk of a tree. */
export const unmetered = 0xffffffff;

/**
 * The memory the runtime starts with, in 64 KB pages: 2 MB, grown as its heap needs (web-tree-sitter
 * asks for 32 MB). runtime.ts saves a started instance's memory (but for the parser's stack) to put
 * it back after a parse that ran out of fuel: reading 23 MB of pages nothing had touched, to find
 * they were zeros, cost every start about 5 ms.
 */
export const startMemoryPages = 32;

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

/** The fuel check: if the counter is 0, trap; else spend one. */
function fuelCheck(fuel: number): number[] {
  const g = u32Bytes(fuel);
  // global.get fuel; i32.eqz; if; unreachable; end; global.get fuel; i32.const 1; i32.sub; global.set fuel
  return [0x23, ...g, 0x45, 0x04, 0x40, 0x00, 0x0b, 0x23, ...g, 0x41, 0x01, 0x6b, 0x24, ...g];
}

/** The code section with the fuel check where `metering` says (wasmCallGraph.ts says why that bounds every run). */
function meteredCode(code: Section, imports: number, metering: Metering, fuel: number): Uint8Array {
  const check = fuelCheck(fuel);
  const bodies = bodiesOf(code);
  const parts: ArrayLike<number>[] = [u32Bytes(bodies.length)];
  bodies.forEach((body, i) => {
    const at = [...(metering.entries.has(imports + i) ? [body.code] : []), ...metering.loops[i]];
    const pieces: ArrayLike<number>[] = [];
    let from = body.first;
    for (const offset of at) {
      pieces.push(code.body.subarray(from, offset), check);
      from = offset;
    }
    pieces.push(code.body.subarray(from, body.end));
    parts.push(u32Bytes(pieces.reduce((n, p) => n + p.length, 0)), ...pieces);
  });
  return concat(parts);
}

/** The import section with the memory's minimum lowered to startMemoryPages (its maximum stays). */
function withStartMemory(imports: Section, memory: NonNullable<Imports['memory']>): Uint8Array {
  if (memory.pages <= startMemoryPages) return imports.body;
  const reader = new Reader(imports.body, memory.limits);
  const flags = reader.byte();
  reader.u32(); // the minimum
  const { body } = imports;
  return concat([
    body.subarray(0, memory.limits),
    [flags],
    u32Bytes(startMemoryPages),
    body.subarray(reader.at, memory.end),
    body.subarray(memory.end),
  ]);
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

/**
 * The module's bytes with the fuel counter added (see the top of this file). `linked`: the modules
 * that will share its table (the grammars); without them, a linked module is assumed to do anything.
 */
export function withFuel(wasm: Uint8Array, linked?: readonly Linked[]): Uint8Array {
  const sections = sectionsOf(wasm);
  const shape = shapeOf(sections);
  const find = (id: number): Section | undefined => sections.find((s) => s.id === id);
  const code = find(SectionId.Code);
  if (!code) throw new Error('The WebAssembly module has no code.');
  const imports = find(SectionId.Import);
  const imported = importsOf(imports);
  const global = withFuelGlobal(find(SectionId.Global), imported.globals);
  const exports = withExports(find(SectionId.Export), [
    [fuelExport, global.fuel],
    ...global.mutable.map((index, i): [string, number] => [globalExport + i, index]),
  ]);
  const replaced = new Map<number, Uint8Array>([
    [SectionId.Global, global.section],
    [SectionId.Export, exports],
    [SectionId.Code, meteredCode(code, shape.imports.length, meteringOf(shape, linked), global.fuel)],
  ]);
  if (imports && imported.memory) replaced.set(SectionId.Import, withStartMemory(imports, imported.memory));
  const parts: ArrayLike<number>[] = [wasm.subarray(0, 8)];
  const emit = (id: number, body: Uint8Array): void => void parts.push([id, ...u32Bytes(body.length)], body);
  for (const s of sections) {
    // A module without globals gets its global section just before its exports.
    if (s.id === SectionId.Export && !find(SectionId.Global)) emit(SectionId.Global, global.section);
    emit(s.id, replaced.get(s.id) ?? s.body);
  }
  return concat(parts);
}

/** Whether the module was rewritten by withFuel already (scripts/build.mjs does it once, into dist/). */
export function hasFuel(wasm: Uint8Array): boolean {
  const exports = sectionsOf(wasm).find((s) => s.id === SectionId.Export);
  if (!exports) return false;
  // Each start asks: the names are compared as bytes, not decoded one by one (the runtime exports 160).
  const wanted = Buffer.from(fuelExport, 'utf8');
  const reader = new Reader(exports.body);
  for (let n = reader.u32(); n > 0; n--) {
    const length = reader.u32();
    const named = length === wanted.length && wanted.equals(reader.bytes.subarray(reader.at, reader.at + length));
    reader.skip(length);
    const kind = reader.byte();
    reader.u32();
    if (named && kind === ExternalKind.Global) return true;
  }
  return false;
}

/** The runtime's bytes ready to compile: as they are when the build metered them, else metered now against `grammar`. */
export function meteredRuntime(runtime: Uint8Array, grammar: Uint8Array): Uint8Array {
  return hasFuel(runtime) ? runtime : withFuel(runtime, [linkedOf(grammar)]);
}
