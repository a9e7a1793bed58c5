import { ConfigEntry, ParsedConfig } from '../../config/keyValue';
import { Finding, finding } from '../../diagnostics';
import { readText } from '../../fileKinds';
import { parseBudget, withShellTree } from '../../shell/parser';
import { variableUses } from '../../shell/walk';
import { ConfigContext } from '../family';
import { splitArgs, Word } from './argv';
import { dashless } from './dashless';

const downRootPlugin = /openvpn-plugin-down-root(\.so)?$/;

/** The command the down-root plugin runs at down (its words after the plugin's path, offsets in the file), if there is one. */
export function downRootCommand(config: ParsedConfig): { entry: ConfigEntry; words: Word[] } | undefined {
  const entry = dashless(config)
    .entries.filter((e) => e.key === 'plugin')
    .reverse()
    .find((e) => {
      const split = splitArgs(e.value);
      return 'words' in split && downRootPlugin.test(split.words[0]?.text ?? '');
    });
  const split = entry ? splitArgs(entry.value) : undefined;
  if (!entry || !split || !('words' in split) || split.words.length < 2) return undefined;
  const at = entry.valueSpan.start;
  return { entry, words: split.words.slice(1).map((w) => ({ text: w.text, start: at + w.start, end: at + w.end })) };
}

/**
 * The down-root plugin keeps the environment OpenVPN gave it at up, before run_up_down set script_type (init.c calls the
 * plugin first): a script it runs that dispatches on $script_type finds it empty, so its down branch never runs
 * (update-systemd-resolved#26).
 */
export function downRootDispatch(config: ParsedConfig, ctx: ConfigContext): Finding[] {
  const command = downRootCommand(config);
  const program = command?.words[0];
  const located = program ? ctx.locate(program.text) : undefined;
  const text = located ? readText(located.file) : undefined;
  if (!program || text === undefined || !readsScriptType(text)) return [];
  return [
    finding(
      'HS634',
      program.start,
      program.end,
      `The down-root plugin runs ${program.text} at down as root, but with the environment of up, from before OpenVPN ` +
        'sets script_type: $script_type is empty there, so a down) branch never runs and what up set stays ' +
        '(update-systemd-resolved#26). Give the plugin a script of its own that only undoes, or treat an empty ' +
        '$script_type as down.',
      'warning',
    ),
  ];
}

function readsScriptType(text: string): boolean {
  try {
    return withShellTree(text, (tree) => variableUses(tree).some((u) => u.name === 'script_type'), parseBudget(text));
  } catch {
    return false; // the parser failed, or is not loaded where this config is linted: no finding rather than a guess
  }
}
