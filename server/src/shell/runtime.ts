import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { freshGlue } from './glue';

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
 * files and web-tree-sitter's CommonJS glue to dist/ (the glue is loaded afresh after a fault).
 */
export const shellFiles = { glue: 'web-tree-sitter.cjs', runtime: 'web-tree-sitter.wasm', bash: 'tree-sitter-bash.wasm' } as const;

const guardByte = 0xa5;
const compiled = new Map<string, WasmModule>();
const grammars = new Map<string, Uint8Array>();

/** Starts a fresh instance from the shellFiles in `dist`. */
export async function startShellRuntime(dist: string, stack: StackSize = defaultStack): Promise<ShellRuntime> {
  const treeSitter = freshGlue(path.join(dist, shellFiles.glue)) as TreeSitter;
  const module = once(compiled, path.join(dist, shellFiles.runtime), (file) => new wasmApi.Module(readFileSync(file)));
  const wasm = await instantiate(treeSitter, module);
  const bash = await treeSitter.Language.load(once(grammars, path.join(dist, shellFiles.bash), (file) => readFileSync(file)));
  const parser = new treeSitter.Parser();
  parser.setLanguage(bash);
  return guarded(parser, wasm, stack);
}

interface Wasm {
  readonly stackPointer: WasmGlobal;
  readonly memory: WasmMemory;
  readonly malloc: (bytes: number) => number;
}

interface EmscriptenImports {
  readonly env: { readonly __stack_pointer: WasmGlobal; readonly memory: WasmMemory };
}

/** Parser.init, instantiating the runtime ourselves (Emscripten's instantiateWasm) to reach its stack pointer. */
async function instantiate(treeSitter: TreeSitter, module: WasmModule): Promise<Wasm> {
  let imports: EmscriptenImports | undefined;
  let failed: (e: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  const options: Record<string, unknown> = {
    instantiateWasm(given: EmscriptenImports, receive: (instance: WasmInstance, module: WasmModule) => void) {
      imports = given;
      wasmApi.instantiate(module, given).then((instance) => receive(instance, module), failed);
      return {};
    },
  };
  // Emscripten never settles init when instantiation fails: the race turns that into an error.
  await Promise.race([treeSitter.Parser.init(options), failure]);
  const malloc = options._malloc as Wasm['malloc'] | undefined;
  if (!imports || !malloc) throw new Error('web-tree-sitter did not expose its stack pointer and malloc: is it still 0.27.x?');
  return { stackPointer: imports.env.__stack_pointer, memory: imports.env.memory, malloc };
}

function guarded(parser: Parser, wasm: Wasm, stack: StackSize): ShellRuntime {
  const base = wasm.malloc(stack.guardBytes + stack.stackBytes + 16);
  if (!base) throw new Error(`Could not allocate ${stack.stackBytes} bytes of stack for the shell parser.`);
  const guard = (): Buffer => Buffer.from(wasm.memory.buffer, base, stack.guardBytes); // the buffer changes when memory grows
  const untouched = Buffer.alloc(stack.guardBytes, guardByte);
  guard().fill(guardByte);
  const top = (base + stack.guardBytes + stack.stackBytes) & ~15;
  wasm.stackPointer.value = top;
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
