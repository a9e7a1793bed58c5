/** ShellCheck's `-f json1` output: positions are 1-based, columns count code points (a tab is one), ends are exclusive. */
export interface Json1Position {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface Json1Replacement extends Json1Position {
  readonly replacement: string;
  /** Where the text goes when several insertions share a point. */
  readonly insertionPoint: 'beforeStart' | 'afterEnd';
}

export type Json1Level = 'error' | 'warning' | 'info' | 'style';

export interface Json1Comment extends Json1Position {
  /** `-` for the text read from stdin. */
  readonly file?: string;
  readonly code: number;
  readonly level: Json1Level;
  readonly message: string;
  readonly fix?: { readonly replacements: readonly Json1Replacement[] };
}

const levels: readonly string[] = ['error', 'warning', 'info', 'style'];

/** The comments of one json1 report; entries of an unexpected shape are skipped, and undefined means it was not json1 at all. */
export function parseJson1(stdout: string): Json1Comment[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const comments = isObject(parsed) ? parsed.comments : undefined;
  if (!Array.isArray(comments)) return undefined;
  // With external sources followed (a .shellcheckrc may ask for it), comments on other files come too.
  return comments
    .filter((c) => isComment(c) && (c.file === undefined || c.file === '-'))
    .map((c: Json1Comment) => (isFix(c.fix) ? c : { ...c, fix: undefined }));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isPosition(v: unknown): v is Json1Position {
  return isObject(v) && [v.line, v.column, v.endLine, v.endColumn].every((n) => Number.isInteger(n) && (n as number) >= 1);
}

function isComment(v: unknown): v is Json1Comment {
  return isObject(v) && isPosition(v) && Number.isInteger(v.code) && typeof v.message === 'string' && levels.includes(v.level as string);
}

function isFix(v: unknown): v is Json1Comment['fix'] {
  return isObject(v) && Array.isArray(v.replacements) && v.replacements.length > 0 && v.replacements.every(isReplacement);
}

function isReplacement(v: unknown): v is Json1Replacement {
  return (
    isObject(v) &&
    isPosition(v) &&
    typeof v.replacement === 'string' &&
    (v.insertionPoint === 'beforeStart' || v.insertionPoint === 'afterEnd')
  );
}
