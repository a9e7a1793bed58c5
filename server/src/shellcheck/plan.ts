import { Recognized } from '../families/family';

/** The dialects ShellCheck 0.9 accepts for --shell. */
export type ShellDialect = 'sh' | 'bash' | 'dash' | 'ksh';

/** How one hook is shown to ShellCheck: the text it reads, its dialect, and where the hook's own lines start. */
export interface ShellcheckPlan {
  readonly shell: ShellDialect;
  readonly input: string;
  /** Lines of `input` before the hook's first line (a wrapper's header). */
  readonly linesBefore: number;
  /** Codes that do not apply to how this hook runs. */
  readonly exclude: readonly string[];
  /**
   * Where a 1-based line and code-point column of `input` are in the document, when the input is
   * not the document's text (shell embedded in a config's values); undefined for a place that is
   * not the document's (a wrapper's line): comments there are dropped.
   */
  readonly offsetOf?: (line: number, column: number) => number | undefined;
}

/**
 * Whether and how ShellCheck checks a recognised hook: its family says; undefined for Perl, Windows scripts and shells it does not know.
 */
export function shellcheckPlan(recognized: Recognized, file: string, text: string): ShellcheckPlan | undefined {
  return recognized.family.shellcheckPlan?.(recognized, file, text);
}

const wrapperName = 'hooksmith_hook';

/**
 * A hook pasted into a generated sh script as a function body, where `return` and `local` are
 * legal: ShellCheck reads it inside a function, called with the script's arguments. The header
 * keeps the hook's columns; `:` keeps an empty hook valid.
 */
export function asFunctionBody(text: string, exclude: readonly string[] = []): ShellcheckPlan {
  const input = `${wrapperName}() { :\n${text}\n}\n${wrapperName} "$@"\n`;
  return { shell: 'sh', input, linesBefore: 1, exclude };
}

const dialects = new Map<string, ShellDialect>([
  ['sh', 'sh'],
  ['ash', 'sh'],
  ['busybox', 'sh'],
  ['dash', 'dash'],
  ['bash', 'bash'],
  ['ksh', 'ksh'],
  ['mksh', 'ksh'],
  ['pdksh', 'ksh'],
  ['ksh93', 'ksh'],
]);

/** ShellCheck's dialect for an interpreter named on a #! line; undefined for one it does not read. */
export function shellDialectOf(interpreter: string): ShellDialect | undefined {
  return dialects.get(interpreter);
}
