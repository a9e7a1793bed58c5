import { Finding, finding } from '../diagnostics';
import { ConfigContext, ConfigDocumentType, HookFamily, WiredHook } from '../families/family';
import { families } from '../families/registry';
import { readHeadSync } from '../files/readFile';
import { configContext, ConfigPlaces } from './context';
import { BadLine, looksBinary, parseKeyValue } from './keyValue';
import { wiring } from './wiring';
import type { ShellcheckPlan } from '../shellcheck/plan';

/** A config document type and the family that declares it. */
export interface ConfigMatch {
  readonly family: HookFamily;
  readonly type: ConfigDocumentType;
}

/**
 * The config document type of a file, by its path or its first 8 KB (`head`); undefined for any
 * other file. Types that only wire (launchers) count only when `wiring` asks for them too.
 */
export function configTypeOf(file: string, head: string, wiring = false): ConfigMatch | undefined {
  for (const family of families) {
    for (const type of family.configs ?? []) if ((wiring || !type.wiresOnly) && type.recognize(file, head)) return { family, type };
  }
  return undefined;
}

/** Every config document type's globs (watchers, the document selector). */
export function configCandidates(): string[] {
  return families.flatMap((f) => (f.configs ?? []).flatMap((c) => c.candidates));
}

export interface ConfigLint {
  readonly findings: Finding[];
  readonly wired: WiredHook[];
}

/**
 * Lints a config document: a binary file gets HS501 alone; otherwise each line the reader could
 * not read gets HS500, then the family's own rules run on what it read. Never throws on any text.
 */
export function lintConfig(match: ConfigMatch, text: string, ctx: ConfigContext): ConfigLint {
  if (looksBinary(text)) {
    const nul = text.indexOf('\0');
    return {
      findings: [
        finding(
          'HS501',
          nul,
          nul + 1,
          `This file contains NUL characters: it is binary, not a ${match.type.displayName}, and was not read.`,
        ),
      ],
      wired: [],
    };
  }
  const parsed = parseKeyValue(text, match.type.syntax);
  const findings = [...parsed.bad.map((b) => badLine(b, match.type)), ...match.type.lint(parsed, ctx)];
  return { findings: findings.sort((a, b) => a.start - b.start || a.end - b.end), wired: match.type.wiring(parsed, ctx) };
}

function badLine(b: BadLine, type: ConfigDocumentType): Finding {
  const name = type.displayName;
  switch (b.why) {
    case 'no-separator':
      return finding(
        'HS500',
        b.span.start,
        b.span.end,
        `${name} cannot read this line: it has no "=" between a key and a value. Write key = value, or make it a comment with #.`,
      );
    case 'empty-key':
      return finding('HS500', b.span.start, b.span.end, `${name} cannot read this line: there is no key before its "=".`);
    case 'unclosed-section':
      return finding('HS500', b.span.start, b.span.end, `This section line has no closing "]": ${name} cannot read it.`);
    case 'unclosed-block':
      return finding(
        'HS500',
        b.span.start,
        Math.min(b.span.end, b.span.start + 200),
        `This inline block is never closed: everything after it is read as the block's data.`,
      );
  }
}

/** ShellCheck's plan for the shell a config document's values hold, if its type has one (the shell parser must be loaded). */
export function configShellcheckPlan(file: string, text: string): ShellcheckPlan | undefined {
  const match = configTypeOf(file, text.slice(0, 8192));
  if (!match?.type.shellcheckPlan || looksBinary(text)) return undefined;
  return match.type.shellcheckPlan(parseKeyValue(text, match.type.syntax));
}

/**
 * Names whose content is worth a look (`server.conf` may be ocserv's); any other name is a config only if a type recognises the name
 * itself.
 */
const configLike = /\.(conf|cfg|ini|cnf)$/i;

/**
 * The config document type of a file on disk: by name, then (for config-like names) by its first
 * 8 KB through the bounded reader. `wiring`: launchers too (see configTypeOf).
 */
export function configTypeOnDisk(file: string, wiring = false): ConfigMatch | undefined {
  const byName = configTypeOf(file, '', wiring);
  if (byName || !configLike.test(file)) return byName;
  const head = readHeadSync(file, 8192);
  return head ? configTypeOf(file, head.toString('utf8'), wiring) : undefined;
}

/** Lints a config document and records what it wires; answers the files whose wiring changed (to be linted again as hooks). */
export function lintAndWire(
  match: ConfigMatch,
  file: string,
  text: string,
  places: ConfigPlaces,
): { findings: Finding[]; rewired: string[] } {
  const linted = lintConfig(match, text, configContext(file, places));
  return { findings: linted.findings, rewired: wiring.set(file, linted.wired) };
}
