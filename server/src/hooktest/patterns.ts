/**
 * The three kinds of pattern a spec holds: text (a substring, or `/regex/flags`), argv (words with
 * globs, a last lone `*` for any further arguments) and state lines (one glob over the line).
 */

/** A pattern that cannot be compiled: its message says why. */
export class PatternError extends Error {}

export interface Matcher {
  readonly source: string;
  test(value: string): boolean;
}

const regexForm = /^\/(.*)\/([dgimsuyv]*)$/s;

/** `/regex/flags` is a regular expression; anything else is a substring. */
export function textMatcher(source: string): Matcher {
  const m = regexForm.exec(source);
  if (!m) return { source, test: (v) => v.includes(source) };
  let re: RegExp;
  try {
    re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
  } catch (e) {
    throw new PatternError(
      `${source} is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}.`,
    );
  }
  return { source, test: (v) => re.test(v) };
}

/** A glob over a whole string: `*` any characters, `?` one; the rest literal. */
function globRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

/** A state line (`192.168.100.0/24 via *`) as a glob over the whole line. */
export function lineMatcher(source: string): Matcher {
  if (!source.trim()) throw new PatternError('A state pattern cannot be empty.');
  const re = globRegExp(source.trim());
  return { source, test: (v) => re.test(v) };
}

export interface ArgvMatcher {
  readonly source: string;
  test(argv: readonly string[]): boolean;
}

/**
 * An argv pattern: words split on white space, as a shell would (quotes keep a word with spaces whole), or a YAML list of words; each a
 * glob
 * of one argument; a last lone `*` stands for any further arguments, none included.
 */
export function argvMatcher(pattern: string | readonly string[]): ArgvMatcher {
  const words = typeof pattern === 'string' ? splitWords(pattern) : [...pattern];
  const source = typeof pattern === 'string' ? pattern : words.join(' ');
  if (words.length === 0) throw new PatternError('A command pattern needs at least the command name.');
  const open = words[words.length - 1] === '*' && words.length > 1;
  const fixed = (open ? words.slice(0, -1) : words).map(globRegExp);
  return {
    source,
    test: (argv) => (open ? argv.length >= fixed.length : argv.length === fixed.length) && fixed.every((re, i) => re.test(argv[i])),
  };
}

/** Words as a shell splits them: on white space outside '...' and "..." (the quotes go). */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quote) throw new PatternError(`${text} has an unclosed ${quote}.`);
  if (word !== undefined) words.push(word);
  return words;
}

/** `${NAME}` replaced by the row's value of NAME; unknown names stay as written. */
export function substitute(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? vars[name] : whole));
}
