import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { freshGlue } from './glue';
import { importsOf, SectionId, sectionsOf } from './wasmCode';
import { fuelExport, globalExport, meteredRuntime, unmetered } from './wasmFuel';

type TreeSitter = typeof import('web-tree-sitter');

// The little of the WebAssembly API used here (the project's lib has no DOM types, where it lives).
type WasmModule = object;
type WasmInstance = object;
interface WasmGlobal {
  value: number;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A trap, a stack overflow or a damaged stack guard inside the parser's WebAssembly. */
export class ShellParserFault extends Error {}

/**
 * One instance of web-tree-sitter with the bash grammar. The runtime is built with a 64 KB stack
 * and no overflow check, so deep recursion in tree-sitter (found by fuzzing: a command-less
 * here-document, then a thousand nested lines) ran over its static data and broke every later
 * parse in the process, or made the next one hang. Here the stack is moved to a region of its
 * own, with a guard zone below it that is checked after every use, and an instance that faults is
 * never used again: the caller starts a fresh one (`startShellRuntime` takes about 20 ms).
 */
export interface ShellRuntime {
  readonly parser: Parser;
  /** True once a fault was seen: nothing may call into this instance any more. */
  readonly broken: boolean;
  /**
   * Runs `work`, which calls into this instance. A trap, a stack overflow inside WebAssembly or
   * a written guard zone marks the instance broken and throws ShellParserFault; other errors pass.
   */
  use<T>(work: () => T): T;
  /**
   * Inside `use`: runs `work` with at most `calls` counted steps inside the parser's WebAssembly
   * (see wasmFuel.ts) and says how many it made; `undefined` when it ran out, after which the
   * instance has been reset (nothing made before is valid, the parser is ready).
   */
  counted<T>(calls: number, work: () => T): { readonly value: T; readonly spent: number } | undefined;
  /** True when nothing ran since the start or the last reset: a counted run on it spends the same on every machine. */
  readonly fresh: boolean;
  /** Puts the instance back as it was right after its start (memory and globals): trees made before are gone. */
  reset(): void;
}

export interface StackSize {
  /** Bytes of stack for the parser (tree-sitter's recursion needs about 64 per nested line). */
  readonly stackBytes: number;
  /** Bytes below the stack that must stay untouched; an overflow shorter than this is caught without harm. */
  readonly guardBytes: number;
}

/**
 * 8 MB: V8's own stack (about 1 MB of native frames) runs out first, as a RangeError that harms
 * nothing, at about 3,300 nested lines and 210 KB of this stack. Untouched pages cost no memory.
 */
export const defaultStack: StackSize = { stackBytes: 8 << 20, guardBytes: 64 << 10 };

/**
 * Pinned pair: web-tree-sitter 0.27.x with tree-sitter-bash 0.25.x. The build copies both .wasm
 * files and web-tree-sitter's CommonJS glue to dist/ (the glue is loaded afresh after a fault); the
 * runtime's already metered (wasmFuel.ts), so that a start does not spend the time to work out where.
 */
export const shellFiles = { glue: 'web-tree-sitter.cjs', runtime: 'web-tree-sitter.wasm', bash: 'tree-sitter-bash.wasm' } as const;

const guardByte = 0xa5;
/** WebAssembly's page. */
const pageBytes = 64 << 10;

interface Compiled {
  readonly module: WasmModule;
  /** The memory the module asks for (the build lowers it: wasmFuel.ts, startMemoryPages). */
  readonly memoryBytes: number;
}
const compiled = new Map<string, Compiled>();
const grammars = new Map<string, { readonly bytes: Uint8Array; readonly module: Promise<WasmModule> }>();

/** Starts a fresh instance from the shellFiles in `dist`. */
export async function startShellRuntime(dist: string, stack: StackSize = defaultStack): Promise<ShellRuntime> {
  const treeSitter = freshGlue(path.join(dist, shellFiles.glue)) as TreeSitter;
  // The grammar compiles on V8's threads while the runtime is compiled and started here (Language.load
  // would start compiling it only then, and this thread would wait); later instances reuse it.
  const grammar = once(grammars, path.join(dist, shellFiles.bash), (file) => {
    const bytes = readFileSync(file);
    const loaded = { bytes, module: wasmApi.compile(bytes) };
    loaded.module.catch(() => grammars.get(file) === loaded && grammars.delete(file)); // the next start tries again
    return loaded;
  });
  const runtime = once(compiled, path.join(dist, shellFiles.runtime), (file) => compile(meteredRuntime(readFileSync(file), grammar.bytes)));
  const wasm = await instantiate(treeSitter, runtime);
  const parser = new treeSitter.Parser();
  parser.setLanguage(treeSitter.Language.loadSync((await grammar.module) as WebAssembly.Module));
  return guarded(parser, wasm, stack);
}

function compile(bytes: Uint8Array): Compiled {
  const memory = importsOf(sectionsOf(bytes).find((s) => s.id === SectionId.Import)).memory;
  if (!memory) throw new Error('The shell parser runtime imports no memory: is web-tree-sitter still 0.27.x?');
  return { module: new wasmApi.Module(bytes), memoryBytes: memory.pages * pageBytes };
}

interface Wasm {
  readonly stackPointer: WasmGlobal;
  readonly memory: WasmMemory;
  readonly malloc: (bytes: number) => number;
  /** The counted steps left before the parser traps (wasmFuel.ts). */
  readonly fuel: WasmGlobal;
  /** The runtime's own mutable globals, saved and restored with its memory. */
  readonly globals: readonly WasmGlobal[];
}

interface EmscriptenImports {
  readonly env: { readonly __stack_pointer: WasmGlobal; readonly memory: WasmMemory };
}

/** Parser.init, instantiating the runtime ourselves (Emscripten's instantiateWasm) to reach its stack pointer. */
async function instantiate(treeSitter: TreeSitter, { module, memoryBytes }: Compiled): Promise<Wasm> {
  let imports: EmscriptenImports | undefined;
  let exported: Record<string, unknown> = {};
  let failed: (e: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  const options: Record<string, unknown> = {
    INITIAL_MEMORY: memoryBytes, // Emscripten's memory would otherwise be 32 MB whatever the module asks for
    instantiateWasm(given: EmscriptenImports, receive: (instance: WasmInstance, module: WasmModule) => void) {
      imports = given;
      wasmApi.instantiate(module, given).then((instance) => {
        exported = (instance as { exports: Record<string, unknown> }).exports;
        receive(instance, module);
      }, failed);
      return {};
    },
  };
  // Emscripten never settles init when instantiation fails: the race turns that into an error.
  await Promise.race([treeSitter.Parser.init(options), failure]);
  const malloc = options._malloc as Wasm['malloc'] | undefined;
  const fuel = exported[fuelExport] as WasmGlobal | undefined;
  if (!imports || !malloc || !fuel) throw new Error('web-tree-sitter did not expose its stack pointer and malloc: is it still 0.27.x?');
  const globals: WasmGlobal[] = [];
  for (let i = 0; exported[globalExport + i]; i++) globals.push(exported[globalExport + i] as WasmGlobal);
  return { stackPointer: imports.env.__stack_pointer, memory: imports.env.memory, malloc, fuel, globals };
}

function guarded(parser: Parser, wasm: Wasm, stack: StackSize): ShellRuntime {
  const base = wasm.malloc(stack.guardBytes + stack.stackBytes + 16);
  if (!base) throw new Error(`Could not allocate ${stack.stackBytes} bytes of stack for the shell parser.`);
  const guard = (): Buffer => Buffer.from(wasm.memory.buffer, base, stack.guardBytes); // the buffer changes when memory grows
  const untouched = Buffer.alloc(stack.guardBytes, guardByte);
  guard().fill(guardByte);
  const top = (base + stack.guardBytes + stack.stackBytes) & ~15;
  wasm.stackPointer.value = top;
  const start = saved(wasm, { from: base + stack.guardBytes, to: top });
  let fresh = true;
  let broken = false;
  const fault = (why: string): ShellParserFault => {
    broken = true;
    return new ShellParserFault(why);
  };
  const check = (): void => {
    if (broken) throw new ShellParserFault('an earlier fault in the same parse broke the parser');
    if (!guard().equals(untouched)) throw fault('the parser overflowed its stack');
    if (wasm.stackPointer.value !== top) throw fault('the parser left its stack unbalanced');
  };
  return {
    parser,
    get broken() {
      return broken;
    },
    get fresh() {
      return fresh;
    },
    reset() {
      restore(wasm, start);
      fresh = true;
    },
    counted<T>(calls: number, work: () => T) {
      fresh = false;
      wasm.fuel.value = calls;
      try {
        const value = work();
        return { value, spent: calls - (wasm.fuel.value >>> 0) };
      } catch (e) {
        if (!(e instanceof Error && e.name === 'RuntimeError' && wasm.fuel.value === 0)) throw e;
        restore(wasm, start); // a parse stopped at any call leaves the parser's memory half-changed
        fresh = true;
        return undefined;
      } finally {
        wasm.fuel.value = unmetered;
      }
    },
    use<T>(work: () => T): T {
      if (broken) throw new ShellParserFault('this parser instance faulted earlier');
      let result: T;
      try {
        result = work();
      } catch (e) {
        const faulted = classify(e, wasm.stackPointer.value !== top, fault);
        if (faulted) throw faulted;
        check(); // an ordinary error may still follow damage
        throw e;
      }
      check();
      return result;
    },
  };
}

/**
 * An instance's state: its memory (pages that are not all zero) and its globals. The stack below
 * its top is not saved: nothing a fresh parser reads is there (a frame writes before it reads), and
 * restore leaves it zeroed. Comparing its 8 MB of untouched pages with zeros (faulting each one in)
 * was most of what saving cost a process that lints one hook.
 */
interface Saved {
  readonly pages: ReadonlyMap<number, Buffer>;
  readonly globals: readonly number[];
  readonly stackPointer: number;
}

function saved(wasm: Wasm, stack: { readonly from: number; readonly to: number }): Saved {
  const memory = Buffer.from(wasm.memory.buffer);
  const zero = Buffer.alloc(pageBytes);
  const pages = new Map<number, Buffer>();
  for (let at = 0; at < memory.length; at += pageBytes) {
    if (at >= stack.from && at + pageBytes <= stack.to) continue;
    const page = memory.subarray(at, at + pageBytes);
    if (!page.equals(zero.subarray(0, page.length))) pages.set(at, Buffer.from(page));
  }
  return { pages, globals: wasm.globals.map((g) => g.value), stackPointer: wasm.stackPointer.value };
}

/** Memory that grew since stays (WebAssembly memory never shrinks), zeroed, as free heap past the saved end. */
function restore(wasm: Wasm, state: Saved): void {
  const memory = Buffer.from(wasm.memory.buffer);
  memory.fill(0);
  for (const [at, page] of state.pages) page.copy(memory, at);
  wasm.globals.forEach((g, i) => (g.value = state.globals[i]));
  wasm.stackPointer.value = state.stackPointer;
}

/** The fault an error thrown from `use` stands for, if it is one. */
function classify(e: unknown, insideWasm: boolean, fault: (why: string) => ShellParserFault): ShellParserFault | undefined {
  if (e instanceof ShellParserFault) return fault(e.message);
  if (!(e instanceof Error)) return undefined;
  if (e.name === 'RuntimeError') return fault(e.message);
  // A RangeError that left the stack pointer moved was thrown from inside WebAssembly.
  if (e instanceof RangeError && insideWasm) return fault('the file nests deeper than the parser can follow');
  return undefined;
}

function once<T>(cache: Map<string, T>, file: string, load: (file: string) => T): T {
  let value = cache.get(file);
  if (value === undefined) {
    value = load(file);
    cache.set(file, value);
  }
  return value;
}
