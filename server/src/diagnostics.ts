/**
 * The rule registry. A rule is one record (code, title, severity, summary, optional fix),
 * registered by its owner: the core rules here, the profile validator's in profile/rules.ts, each
 * family's in its folder. The docs index, the SARIF rule metadata and the severities of findings
 * are read from the records. Codes are stable (documented in docs/rules/<code>.md); titles may be
 * reworded.
 */
import type { CommonFix, Fixer } from './lsp/codeActions';
import { configRules } from './config/rules';
import { profileRules } from './profile/rules';
import { hooktestRules } from './hooktest/rules';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  readonly code: string;
  readonly title: string;
  readonly severity: Severity;
}

/** A rule as its owner registers it. */
export interface RuleRecord extends RuleInfo {
  /** The heading it is listed under in docs/rules/index.md. */
  readonly group: string;
  /** One sentence: what is wrong (docs index, SARIF fullDescription). */
  readonly summary: string;
  /** Its quick fix: one of the common fixes by name, or the owner's own fixer. */
  readonly fix?: CommonFix | Fixer;
  /** About the file as a whole (shown by the workspace scan for files that are not open), outside HS400–HS439. */
  readonly fileLevel?: boolean;
}

/** Rules of no one family: XML well-formedness, size and count limits, file modes, shell syntax. */
export const coreRules: readonly RuleRecord[] = [
  {
    code: 'HS100',
    title: 'XML syntax error',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary: 'The file breaks a rule of XML syntax that has no more specific code.',
  },
  {
    code: 'HS101',
    title: 'Element is never closed',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary: 'A start tag has no matching end tag.',
  },
  {
    code: 'HS102',
    title: 'Closing tag does not match',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary: 'An end tag `</X>` appears while no element named `X` is open.',
  },
  {
    code: 'HS103',
    title: 'Second root element',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary: 'Another element starts after the root element has been closed.',
  },
  {
    code: 'HS104',
    title: 'Content outside the root element',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary: "Text other than white space, or a CDATA section, appears before the root element's start tag or after its end tag.",
  },
  {
    code: 'HS105',
    title: 'Malformed tag',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary:
      'A start or end tag is broken: it is not closed with `>`; an attribute has no value, or its value is not in ' +
      'quotes, or the quote is never closed; two attributes are not separated by white space; the same attribute ' +
      'appears twice; or the tag contains a character that cannot be there (such as a `/` not directly followed by `>`).',
  },
  {
    code: 'HS106',
    title: 'Invalid entity or character reference',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary:
      'In text or an attribute value, one of: a bare `&` that does not start a reference of the form `&name;` or ' +
      '`&#number;`; a reference to an entity that is not defined (XML predefines only `&amp;`, `&lt;`, `&gt;`, ' +
      "`&quot;` and `&apos;`; others must be declared in the document's DOCTYPE); or a character reference to a " +
      'character XML does not allow, such as `&#0;`.',
  },
  {
    code: 'HS107',
    title: 'External entity is never read',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary:
      'The DOCTYPE refers to something outside the file: an external DTD (`<!DOCTYPE AnyConnectProfile SYSTEM "...">` ' +
      'or `PUBLIC`), or an entity declared with `SYSTEM` or `PUBLIC`.',
  },
  {
    code: 'HS108',
    title: 'Entity expansion limit exceeded',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary:
      "Entities declared in the DOCTYPE go past Hooksmith's expansion limits: more than 10,000 characters of entity " +
      'text expanded in the whole document, entities nested more than 8 levels deep (an entity whose text refers to ' +
      'an entity, and so on), or more than 100 `<!ENTITY>` declarations.',
  },
  {
    code: 'HS109',
    title: 'Nesting too deep',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary: 'Elements are nested more than 100 levels deep.',
  },
  {
    code: 'HS110',
    title: 'Binary file',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary:
      'The file contains a NUL character in its first 8,192 characters, so Hooksmith treats it as binary and does not ' +
      'validate it: this is the only finding for the file.',
  },
  {
    code: 'HS111',
    title: 'File too large to validate',
    severity: 'warning',
    group: 'XML well-formedness (HS1xx)',
    summary: 'The file is larger than the size limit, so Hooksmith does not parse it; this is the only finding, placed on the first line.',
  },
  {
    code: 'HS112',
    title: 'No root element',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary: 'The file contains no element at all: it is empty, or holds only white space, an XML declaration, comments or a DOCTYPE.',
  },
  {
    code: 'HS113',
    title: 'Too many problems to show',
    severity: 'information',
    group: 'XML well-formedness (HS1xx)',
    summary: 'The file has more problems than the editor shows.',
  },
  {
    code: 'HS114',
    title: 'Not a regular file',
    severity: 'error',
    group: 'XML well-formedness (HS1xx)',
    summary:
      "A file with a hook's name (or a profile) is not a regular file once symbolic links are followed: it is a FIFO " +
      '(named pipe), a character or block device (`/dev/zero`, `/dev/random`), a socket, or a folder.',
  },
  {
    code: 'HS430',
    title: 'Hook writable by group or others',
    severity: 'warning',
    group: 'Every family',
    summary: 'The mode of a hook file lets its group or all users write it.',
    fix: 'removeGroupWrite',
  },
  {
    code: 'HS470',
    title: 'Call would bypass a dry run',
    severity: 'warning',
    group: 'Dry runs',
    summary:
      'A call the shims of a dry run cannot intercept: a command called by its path, run through a wrapper by path or ' +
      'through busybox, a computed command name, eval, sh -c, an interpreter (python, perl, ...), find -exec, command ' +
      '-p, env -i, or a change of PATH. Without a sandbox such a hook is refused (or, if allowed, the call runs for ' +
      'real); in the sandbox it runs inside throwaway namespaces.',
  },
  {
    code: 'HS460',
    title: 'Shell syntax error',
    severity: 'error',
    group: 'Shell syntax',
    summary:
      'The shell parser cannot read part of a shell hook: an AnyConnect shell hook, or a Shorewall hook written in ' +
      'shell (a run-time hook, `lib.private`, `save`, `scfilter`, `postcompile`, `lib.cli-user`).',
  },
];

let index: ReadonlyMap<string, RuleRecord> | undefined;

/** Every rule, in code order: the core's, the profile validator's and each family's. */
export function allRules(): RuleRecord[] {
  // Required here, not imported at the top: the families' modules import this one while they load.
  const { families } = require('./families/registry') as typeof import('./families/registry');
  // Codes are ASCII (HS123): a plain comparison, as localeCompare's first call loads ICU's collator (80 ms of a CLI run).
  return [...coreRules, ...configRules, ...profileRules, ...families.flatMap((f) => f.rules), ...hooktestRules].sort((a, b) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
  );
}

/** The record of a code; undefined for a code no one registered. */
export function ruleOf(code: string): RuleRecord | undefined {
  index ??= new Map(allRules().map((r) => [r.code, r]));
  return index.get(code);
}

/** A rule code (HS + three digits); every one used has a record (a test checks). */
export type RuleCode = `HS${number}`;

/** Where a rule's page lives, relative to the package root (shipped in the .vsix). */
export function ruleDocPath(code: string): string {
  return `docs/rules/${code}.md`;
}

/** A finding in document offsets (UTF-16 code units); faces turn it into ranges. */
export interface Finding {
  readonly code: RuleCode;
  readonly severity: Severity;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** What a quick fix needs (a new file name, the undo command, ...); travels in Diagnostic.data. */
  readonly fix?: FixData;
  /** Places in other files this finding is about (a profile's problems, from the config key naming it). */
  readonly related?: readonly RelatedPlace[];
}

/** A place in another file (0-based line, UTF-16 columns), shown as a related location. */
export interface RelatedPlace {
  readonly file: string;
  readonly line: number;
  readonly character: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly message: string;
}

/** The data a rule leaves for its quick fix. */
export type FixData =
  | { readonly kind: 'rename'; readonly to: string }
  | { readonly kind: 'replace'; readonly with: string }
  | { readonly kind: 'remove-bom' }
  | { readonly kind: 'chmod-go-w' }
  | { readonly kind: 'rename-element'; readonly to: string }
  | { readonly kind: 'move-into'; readonly parent: string }
  | { readonly kind: 'add-default-branch' }
  | { readonly kind: 'undo'; readonly command: string; readonly event: 'OnDisconnect' }
  | { readonly kind: 'create-script'; readonly name: string; readonly event: 'OnConnect' | 'OnDisconnect' };

export function finding(code: RuleCode, start: number, end: number, message: string, severity?: Severity): Finding {
  return { code, severity: severity ?? ruleOf(code)?.severity ?? 'error', message, start, end };
}

export function withFix(f: Finding, fix: FixData): Finding {
  return { ...f, fix };
}
