/**
 * What the shell parser is given: the text with what tree-sitter-bash 0.25 (as WebAssembly)
 * cannot take replaced by spaces, so every offset holds.
 *
 * - NUL characters: its lexer slows quadratically on them (16,000 take 4 s), and the parse's
 *   time budget cannot interrupt the lexer. Bash itself skips NUL bytes in a script.
 * - Long runs of comment lines: a statement that starts with a here-document redirection
 *   (`<<EOF` with no command before it) followed by about 2,000 comments in a row overflows
 *   its stack, and every later parse in the process then fails too. No rule reads comments,
 *   so runs of more than `maxCommentRun` comment lines are blanked.
 */
export const maxCommentRun = 500;

// Bash's extras besides comments: white space, and a backslash before a newline or a blank.
const blankLine = /^(?:[ \t\r\v\f]|\\[ \t\v\f])*\\?\r?$/;
const commentLine = /^(?:[ \t\r\v\f]|\\[ \t\v\f])*#/;

export function parserInput(text: string): string {
  return blankLongCommentRuns(text.includes('\u0000') ? text.replace(/\u0000/g, ' ') : text);
}

/** The text with the comments of long runs of comment lines replaced by spaces. */
export function blankLongCommentRuns(text: string): string {
  if (!hasMoreThan(text, '#', maxCommentRun)) return text;
  const lines = text.split('\n');
  let runStart = 0;
  let comments = 0;
  for (let i = 0; i <= lines.length; i++) {
    const line = lines[i];
    if (line !== undefined && commentLine.test(line)) comments++;
    else if (line === undefined || !blankLine.test(line)) {
      if (comments > maxCommentRun) blankComments(lines, runStart, i);
      runStart = i + 1;
      comments = 0;
    }
  }
  return lines.join('\n');
}

function blankComments(lines: string[], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const hash = commentLine.test(lines[i]) ? lines[i].indexOf('#') : -1;
    if (hash >= 0) lines[i] = lines[i].slice(0, hash) + lines[i].slice(hash).replace(/[^\r]/g, ' ');
  }
}

function hasMoreThan(text: string, char: string, count: number): boolean {
  let seen = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) if (++seen > count) return true;
  return false;
}
