import { HookFunction, Recognized } from '../families/family';
import { envMarkdown, functionMarkdown, positionalMarkdown } from './docs';

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
  const numbered = /\$\{?([1-9][0-9]*)$/.exec(before);
  if (numbered) return positionalCompletions(offset - numbered[1].length, end, recognized);
  const variable = /\$\{?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  if (variable) {
    const start = offset - (variable[1]?.length ?? 0);
    const env = recognized.hook.env
      .filter((v) => !v.pattern)
      .map((v): HookCompletion => ({
        label: v.name,
        kind: 'variable',
        insert: v.name,
        start,
        end,
        detail: v.setOn ? `${v.meaning} (${v.setOn.join(', ')})` : v.meaning,
        documentation: envMarkdown(v, recognized),
      }));
    return variable[1] ? env : [...env, ...positionalCompletions(start, end, recognized)];
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

/** `$1` ... `$N`: what the family's runner passes this hook (none when the family does not say). */
function positionalCompletions(start: number, end: number, recognized: Recognized): HookCompletion[] {
  const args = recognized.family.positionalArgs?.(recognized) ?? [];
  return args.map((doc, i) => ({
    label: String(i + 1),
    kind: 'variable',
    insert: String(i + 1),
    start,
    end,
    detail: `$${i + 1}: ${doc.split('\n')[0].replace(/[*`]/g, '')}`,
    documentation: positionalMarkdown(args, i + 1, recognized),
  }));
}

/** The family's functions that this hook can call, by how it runs. */
export function functionsFor(recognized: Recognized): HookFunction[] {
  return (recognized.family.functions ?? []).filter((f) => f.runModels.includes(recognized.hook.runModel));
}
