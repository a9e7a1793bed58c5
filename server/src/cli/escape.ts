/**
 * Text for a terminal or a CI log. File names and messages that quote a file's content come
 * from the repository: an escape sequence in a name would retitle or clear the terminal, and a
 * newline would forge a `file:line:col:` line that CI parsers take for a finding. Every
 * human-readable format passes such text through this one function.
 */
const controls = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** C0 and C1 controls, DEL, line and paragraph separators and bidirectional overrides as visible escapes (\n, \x1b, \u202e). */
export function escapeControls(text: string): string {
  return text.replace(controls, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
