import { HookFunction, Recognized } from '../families/family';
import { envMarkdown, functionMarkdown } from './docs';

export interface HookCompletion {
  readonly label: string;
  /** key: a config document's key (wg-quick's PostUp). */
  readonly kind: 'variable' | 'function' | 'key';
  /** Snippet syntax. */
  readonly insert: string;
  readonly start: number;
  readonly end: number;
  readonly detail: string;
  /** Markdown. */
  readonly documentation: string;
}

const identifierAfter = /^[A-Za-z0-9_]*/;

/** `$CISCO_` / `${COM`: the hook's environment; a bare word: the functions its family gives it. */
export function hookCompletions(text: string, offset: number, recognized: Recognized): HookCompletion[] {
  const before = text.slice(Math.max(0, offset - 200), offset);
  const end = offset + (identifierAfter.exec(text.slice(offset))?.[0].length ?? 0);
  const variable = /\$\{?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  if (variable) {
    const start = offset - (variable[1]?.length ?? 0);
    return recognized.hook.env.map((v) => ({
      label: v.name,
      kind: 'variable',
      insert: v.name,
      start,
      end,
      detail: v.setOn ? `${v.meaning} (${v.setOn.join(', ')})` : v.meaning,
      documentation: envMarkdown(v, recognized),
    }));
  }
  // Functions start a command (or a Perl statement or argument): not after a quote or inside a word.
  const word = /(?:^|[\s;|&(`{])([A-Za-z_]\w*)?$/.exec(before);
  if (!word) return [];
  const start = offset - (word[1]?.length ?? 0);
  return functionsFor(recognized).map((f) => ({
    label: f.name,
    kind: 'function',
    insert: f.snippet,
    start,
    end,
    detail: f.signature,
    documentation: functionMarkdown(f),
  }));
}

/** The family's functions that this hook can call, by how it runs. */
export function functionsFor(recognized: Recognized): HookFunction[] {
  return (recognized.family.functions ?? []).filter((f) => f.runModels.includes(recognized.hook.runModel));
}
