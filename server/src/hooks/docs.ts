import { EnvVar, HookFunction, HookSpec, Recognized, RunModel } from '../families/family';

/** What each run model means, in general; a family may say it in its own terms (runModelDocs). */
const runModelText: Readonly<Record<RunModel, string>> = {
  executable: 'Run as a program of its own: it needs its #! line and the execute bit.',
  'shell-command': 'Run as a command line by sh -c: its arguments are part of the setting.',
  sourced: "Sourced into the caller's shell: exit ends the caller, its #! line means nothing, and its variables and functions leak.",
  'function-body': 'Pasted into a generated script as a function body, so use return (exit ends the whole script).',
  evaluated: "Evaluated by the caller's shell as one line: quoting is the caller's.",
  'perl-compile-time': 'Perl evaluated at compile time; the file must end with a true value (1;).',
  'cli-tool': 'Run by command-line tools, not by the hook runner itself.',
  library: 'Functions loaded for the other hooks.',
};

export function envMarkdown(v: EnvVar, recognized: Recognized): string {
  const on = v.setOn
    ? `\n\nSet on: ${v.setOn.map((e) => `\`${recognized.family.runByText?.(e) ?? e}\``).join(', ')}${setOnWarning(v, recognized)}`
    : '';
  return (
    `**$${v.name}** · set by ${recognized.family.product} for ${hookTitle(recognized)}\n\n${v.meaning}${on}\n` +
    `\nExample value: \`${v.mock}\``
  );
}

/**
 * "the `OnConnect` hook", "the `up` and `down` hooks" (one OpenVPN script wired to both): the hook's own name, said
 * once (family names such as "openconnect vpnc-script" already hold some hooks' names).
 */
function hookTitle(recognized: Recognized): string {
  const names = recognized.hook.name.split(' + ');
  if (names.some((n) => n.includes(' '))) return `the ${recognized.hook.name}`; // wg-quick's "hook script": a script its lines call
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length === 1) return `the ${quoted[0]} hook`;
  return `the ${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]} hooks`;
}

/** " (not on connect, which this hook also runs for)": the events of the hook that leave the variable unset. */
function setOnWarning(v: EnvVar, recognized: Recognized): string {
  const missing = recognized.hook.runBy.filter((e) => !v.setOn?.includes(e));
  return missing.length ? ` — not on ${missing.join(' or ')}, which this hook also runs for: it is empty there` : '';
}

/** `$n` of a hook: what its runner passes there, or that it passes nothing. */
export function positionalMarkdown(args: readonly string[], n: number, recognized: Recognized): string {
  const head = `**$${n}** · argument ${n} that ${recognized.family.product} passes to ${hookTitle(recognized)}`;
  const doc = args[n - 1];
  if (doc !== undefined) return `${head}\n\n${doc}`;
  return `${head}\n\n${recognized.family.product} passes ${args.length} argument(s) here: $${n} is always empty.`;
}

export function functionMarkdown(f: HookFunction): string {
  return `\`\`\`\n${f.signature}\n\`\`\`\n\n${f.doc}`;
}

/** When a hook runs and how, from the family's table. */
export function hookMarkdown(recognized: Recognized): string {
  const hook: HookSpec = recognized.hook;
  const family = recognized.family;
  const lines = [
    `**${hook.name}** · ${family.displayName}`,
    '',
    hook.description,
    '',
    family.runModelDocs?.[hook.runModel] ?? runModelText[hook.runModel],
  ];
  const by = hook.runBy.map((c) => family.runByText?.(c) ?? c);
  lines.push('', by.length ? `Runs on: ${by.map((c) => `\`${c}\``).join(', ')}` : 'No command runs it.');
  if (hook.exitStatus) lines.push('', `Exit status: ${hook.exitStatus}`);
  if (hook.env.length) lines.push('', `Environment: ${hook.env.map((v) => `\`$${v.name}\``).join(', ')}`);
  if (hook.removedIn) lines.push('', `> Removed in ${family.product} ${hook.removedIn}: it never runs on current versions.`);
  return lines.join('\n');
}
