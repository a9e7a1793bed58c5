/**
 * A directive's value split into words as OpenVPN's parse_line splits a config line (options.c, in
 * OpenVPN 2.7 options_parse.c), and as argv_parse_cmd (argv.c) splits a script directive's command
 * again with the same function. Checked against the source, not the man page:
 * - white space separates words; a `#` or `;` where a word would start ends the line (a comment);
 * - a quote opens a quoted word only where a word starts (`a"b` is the word a"b), and its closing
 *   quote ends the word (`"a"b` is two words, a and b);
 * - inside "double quotes" and outside quotes a backslash escapes the next character, which must be
 *   a backslash, a `"` or a blank: any other ("Bad backslash ('\\') usage") makes OpenVPN refuse the
 *   line; inside 'single quotes' a backslash is an ordinary character;
 * - a quote left open is refused ("No closing quotation (\")", "No closing single quotation (')").
 * No shell is involved: no variables, no globs, no pipes.
 */
export interface Word {
  readonly text: string;
  /** Offsets into the value. */
  readonly start: number;
  readonly end: number;
}

export type Split =
  | { readonly words: Word[] }
  | { readonly unclosed: { readonly quote: string; readonly at: number } }
  /** A backslash before a character other than \, " or a blank, at the backslash. */
  | { readonly badBackslash: { readonly at: number } };

const enum State {
  Initial,
  Quoted,
  Unquoted,
  SingleQuoted,
}

/** parse_line's space(): isspace() or the end of the string. */
const isSpace = (c: string | undefined): boolean => c === undefined || c === ' ' || (c >= '\t' && c <= '\r');

export function splitArgs(value: string): Split {
  const words: Word[] = [];
  let state = State.Initial;
  let backslash = -1;
  let text = '';
  let start = 0;
  let quoteAt = 0;
  // One step past the end stands for the terminating NUL parse_line reads, which ends an unquoted word.
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value[i] : undefined;
    if (backslash < 0 && c === '\\' && state !== State.SingleQuoted) {
      backslash = i;
      continue;
    }
    let out: string | undefined;
    let done = false;
    if (state === State.Initial) {
      if (!isSpace(c)) {
        if (c === '#' || c === ';') break;
        start = i;
        if (backslash < 0 && (c === '"' || c === "'")) {
          state = c === '"' ? State.Quoted : State.SingleQuoted;
          quoteAt = i;
        } else {
          out = c;
          state = State.Unquoted;
        }
      }
    } else if (state === State.Unquoted) {
      if (backslash < 0 && isSpace(c)) done = true;
      else out = c;
    } else if (state === State.Quoted) {
      if (backslash < 0 && c === '"') done = true;
      else out = c;
    } else if (c === "'") done = true;
    else out = c;
    if (backslash >= 0 && out !== undefined && !(out === '\\' || out === '"' || isSpace(out))) return { badBackslash: { at: backslash } };
    backslash = -1;
    if (out !== undefined) text += out;
    if (done) {
      words.push({ text, start, end: state === State.Unquoted ? i : i + 1 });
      state = State.Initial;
      text = '';
    }
  }
  if (state === State.Quoted || state === State.SingleQuoted)
    return { unclosed: { quote: state === State.Quoted ? '"' : "'", at: quoteAt } };
  // A backslash at the very end escaped the end itself: the word it ends is kept.
  if (state === State.Unquoted) words.push({ text, start, end: value.length });
  return { words };
}
