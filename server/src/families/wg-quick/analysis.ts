import { ParsedConfig } from '../../config/keyValue';
import { Finding, finding } from '../../diagnostics';
import { isParseFailure, parseBudget, withShellTree } from '../../shell/parser';
import { commands, ShellCommand, syntaxErrors } from '../../shell/walk';
import { clip } from '../../text/clip';
import { hookLines, HookLine } from './lines';

/** A hook line read by the shell parser: its commands (offsets in the line's text) or where it cannot be read. */
export interface ParsedLine {
  readonly line: HookLine;
  readonly commands: readonly ShellCommand[];
  /** The first place the parser could not read, as a finding in the config; undefined when the line parses. */
  readonly syntax: Finding | undefined;
}

/** More hook lines than any real config has: the ones after these are not parsed (one finding says so). */
export const maxParsedLines = 2000;

const cache = new WeakMap<ParsedConfig, ParsedLine[]>();
/** The last text parsed: the linter and the ShellCheck plan read the same document into two ParsedConfigs. */
let last: { readonly text: string; readonly lines: ParsedLine[] } | undefined;

/**
 * Every hook line of the config, each parsed on its own with the bash grammar (wg-quick evals each
 * one alone), once per parsed config: the rules, the wiring and the ShellCheck plan share it. The
 * shell parser must be loaded.
 */
export function parsedLines(config: ParsedConfig): ParsedLine[] {
  let found = cache.get(config) ?? (last?.text === config.text ? last.lines : undefined);
  if (!found) found = hookLines(config).slice(0, maxParsedLines).map(parseLine);
  cache.set(config, found);
  last = { text: config.text, lines: found };
  return found;
}

function parseLine(line: HookLine): ParsedLine {
  try {
    return withShellTree(
      line.text,
      (tree) => {
        const errors = syntaxErrors(tree);
        const syntax = errors.length ? syntaxFinding(line, errors[0]) : undefined;
        // Copies: a ShellCommand's fields are plain data, but node() needs the tree, which is freed after this.
        return { line, commands: commands(tree).map((c) => ({ ...c, node: unavailable })), syntax };
      },
      parseBudget(line.text),
    );
  } catch (e) {
    if (!isParseFailure(e)) throw e;
    const at = line.start;
    return {
      line,
      commands: [],
      syntax: finding('HS652', at, at + line.text.length, `The shell parser could not read this ${line.key} value (${e.message}).`),
    };
  }
}

function unavailable(): never {
  throw new Error('The tree of a wg-quick hook line is freed once it is read.');
}

/**
 * The finding for a line the parser cannot read. tree-sitter puts a missing closing quote at the
 * end of the text; bash's error ("unexpected EOF while looking for matching `"'") is about the
 * quote that opened, so the finding sits on that quote.
 */
function syntaxFinding(
  line: HookLine,
  node: { type: string; isMissing: boolean; startIndex: number; endIndex: number; text: string },
): Finding {
  // A quote left open is the error whatever node the parser's recovery made of it.
  const quote = unclosedQuote(line.text);
  const cut = line.cutAt === undefined ? '' : ` (wg-quick cut the line at its "#")`;
  if (quote !== undefined) {
    const q = line.text[quote];
    return finding(
      'HS652',
      line.start + quote,
      line.start + quote + 1,
      `This ${q} is never closed${cut}: bash's eval of the ${line.key} line fails ("unexpected EOF while looking for ` +
        `matching \`${q}'"), so wg-quick ${line.key.endsWith('Up') ? 'up' : 'down'} aborts. Close it, or escape it as \\${q}.`,
    );
  }
  const start = Math.min(node.startIndex, Math.max(0, line.text.length - 1));
  const end = node.isMissing ? start + 1 : Math.max(node.endIndex, start + 1);
  const what = node.isMissing ? `'${node.type}' is missing here` : `bash cannot parse "${clip(node.text.trim())}"`;
  return finding(
    'HS652',
    line.start + start,
    line.start + Math.min(end, line.text.length),
    `Shell syntax error in ${line.key}: ${what}${cut}.`,
  );
}

/**
 * The offset of a quote that opens and never closes, reading the text as bash's lexer does for
 * quotes: backslash escapes outside quotes and inside double quotes, single quotes take
 * everything literally, `$'...'` takes backslash escapes, and `#` at the start of a word ends the
 * line. Undefined when every quote closes.
 */
export function unclosedQuote(text: string): number | undefined {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '#' && (i === 0 || /[\s;&|()]/.test(text[i - 1]))) return undefined;
    else if (c === "'" || c === '"' || c === '`') {
      const ansi = c === "'" && text[i - 1] === '$';
      const close = closing(text, i + 1, c, c !== "'" || ansi);
      if (close < 0) return i;
      i = close + 1;
    } else i++;
  }
  return undefined;
}

function closing(text: string, from: number, quote: string, escapes: boolean): number {
  for (let j = from; j < text.length; j++) {
    if (escapes && text[j] === '\\') j++;
    else if (text[j] === quote) return j;
  }
  return -1;
}
