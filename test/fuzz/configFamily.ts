/**
 * What the fuzz targets of a family whose config names its scripts (ocserv, OpenVPN) share: the
 * config text (key/value lines of the family's words, odd lines, random ones, mutated examples),
 * the script text, a script linted as wired by the config, and the checks on their findings.
 */
import fc from 'fast-check';
import { wiring } from '../../server/src/config/wiring';
import { Finding } from '../../server/src/diagnostics';
import { WiredHook } from '../../server/src/families/family';
import { lintHook } from '../../server/src/hooks/lintHook';
import { findingProblems, FuzzTarget, reduceText } from './harness';
import { reduceInputText } from './hookChecks';
import { mutated } from './mutation';
import { shellScript } from './shellGrammar';
import { gaveUp } from './targets/shellContent';

export interface ConfigWords {
  readonly keys: readonly string[];
  /** Between a key and its value: ' = ' (ocserv), ' ' (OpenVPN), ... */
  readonly separators: readonly string[];
  readonly values: readonly string[];
  /** Lines of the format's own that are not key/value (sections, inline files, comments). */
  readonly odd: readonly string[];
  /** The examples' configs, mutated. */
  readonly seeds: readonly string[];
}

/** Config documents: mostly the family's key/value lines, some odd or random ones, LF or CRLF, a BOM or not. */
export function configText(words: ConfigWords): fc.Arbitrary<string> {
  const line = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...words.keys), fc.constantFrom(...words.separators), fc.constantFrom(...words.values))
        .map(([k, s, v]) => `${k}${s}${v}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(...words.odd) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
  const generated = fc
    .tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
    .map(([lines, eol, bom]) => `${bom ? '\uFEFF' : ''}${lines.join(eol)}`);
  return fc.oneof(
    { weight: 2, arbitrary: mutated(fc.constantFrom(...words.seeds), words.seeds) },
    { weight: 2, arbitrary: generated },
    { weight: 1, arbitrary: mutated(generated, words.seeds) },
  );
}

/** Scripts: the examples mutated, generated shell, generated shell mutated with the examples' pieces. */
export function scriptText(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: mutated(fc.constantFrom(...seeds), seeds) },
    { weight: 3, arbitrary: shellScript },
    { weight: 2, arbitrary: mutated(shellScript, seeds) },
  );
}

/** A config target's checks: its findings' positions and codes on the text, reduced as text. */
export const configChecks: Pick<FuzzTarget<string>, 'check' | 'reduce' | 'show'> = {
  check: (text, output) => findingProblems(text, output as Finding[]),
  reduce: (input, fails) => reduceText(input, fails),
  show: (input) => JSON.stringify(input),
};

/** `script.sh` in `dir`, linted as the config wires it (the family's hooks for those keys). */
export function lintWiredScript(
  dir: string,
  configFile: string,
  family: string,
  text: string,
  wired: readonly WiredHook[],
): Finding[] | undefined {
  wiring.set(configFile, [...wired]);
  try {
    return lintHook(
      { path: `${dir}/script.sh`, text, mode: 0o755, siblings: ['script.sh'], readSibling: () => undefined },
      { [dir]: family },
    )?.findings;
  } finally {
    wiring.set(configFile, []);
  }
}

/** A wired-script target's checks: recognised, its findings right on the text, parser give-ups counted, reduced as text. */
export function scriptChecks<I extends { readonly text: string }>(): Pick<FuzzTarget<I>, 'check' | 'cutShort' | 'reduce' | 'show'> {
  return {
    check: (input, output) => (output === undefined ? ['the script is not recognised'] : findingProblems(input.text, output as Finding[])),
    cutShort: (output) => (output as Finding[] | undefined)?.some(gaveUp) ?? false,
    reduce: reduceInputText,
    show: (input) => JSON.stringify(input),
  };
}
