import { Recognized } from '../families/family';
import { functionsFor } from './completion';
import { envMarkdown, functionMarkdown, hookMarkdown, positionalMarkdown } from './docs';
import { runBefore } from '../text/runs';

export interface HookHover {
  /** Markdown. */
  readonly contents: string;
  readonly start: number;
  readonly end: number;
}

/** An environment variable or a family function under the cursor; on the first line, the hook itself. */
export function hookHover(text: string, offset: number, recognized: Recognized): HookHover | undefined {
  const positional = positionalHover(text, offset, recognized);
  if (positional) return positional;
  const word = wordAt(text, offset);
  if (word) {
    const env = recognized.hook.env;
    const v = env.find((e) => e.name === word.text) ?? env.find((e) => e.pattern?.test(word.text));
    if (v) return { contents: envMarkdown(v, recognized), start: word.start, end: word.end };
    const f = functionsFor(recognized).find((fn) => fn.name === word.text);
    if (f) return { contents: functionMarkdown(f), start: word.start, end: word.end };
  }
  const firstLineEnd = text.search(/\r?\n|$/);
  if (offset <= firstLineEnd) return { contents: hookMarkdown(recognized), start: 0, end: firstLineEnd };
  return undefined;
}

/** `$2` or `${2}` under the cursor, in a hook whose family says what its arguments are. */
function positionalHover(text: string, offset: number, recognized: Recognized): HookHover | undefined {
  const args = recognized.family.positionalArgs?.(recognized);
  if (!args) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  // The shell reads $10 as ${1} then 0: only one digit unbraced.
  for (const m of line.matchAll(/\$(?:([1-9])|\{([1-9][0-9]*)\})/g)) {
    const start = lineStart + (m.index ?? 0);
    const end = start + m[0].length;
    if (offset < start || offset > end) continue;
    const n = Number(m[1] ?? m[2]);
    return { contents: positionalMarkdown(args, n, recognized), start, end };
  }
  return undefined;
}

function wordAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  const start = offset - runBefore(text, offset, /\w/);
  const end = offset + (/^\w*/.exec(text.slice(offset))?.[0].length ?? 0);
  return end > start ? { text: text.slice(start, end), start, end } : undefined;
}
