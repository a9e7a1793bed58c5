import { Recognized } from '../families/family';
import { functionsFor } from './completion';
import { envMarkdown, functionMarkdown, hookMarkdown } from './docs';
import { runBefore } from '../text/runs';

export interface HookHover {
  /** Markdown. */
  readonly contents: string;
  readonly start: number;
  readonly end: number;
}

/** An environment variable or a family function under the cursor; on the first line, the hook itself. */
export function hookHover(text: string, offset: number, recognized: Recognized): HookHover | undefined {
  const word = wordAt(text, offset);
  if (word) {
    const v = recognized.hook.env.find((e) => e.name === word.text);
    if (v) return { contents: envMarkdown(v, recognized), start: word.start, end: word.end };
    const f = functionsFor(recognized).find((fn) => fn.name === word.text);
    if (f) return { contents: functionMarkdown(f), start: word.start, end: word.end };
  }
  const firstLineEnd = text.search(/\r?\n|$/);
  if (offset <= firstLineEnd) return { contents: hookMarkdown(recognized), start: 0, end: firstLineEnd };
  return undefined;
}

function wordAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  const start = offset - runBefore(text, offset, /\w/);
  const end = offset + (/^\w*/.exec(text.slice(offset))?.[0].length ?? 0);
  return end > start ? { text: text.slice(start, end), start, end } : undefined;
}
