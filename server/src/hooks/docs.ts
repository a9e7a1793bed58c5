import { EnvVar, HookSpec, Recognized, RunModel } from '../families/family';
import { HookFunction } from '../families/shorewall/functions';

const runModelText: Readonly<Record<RunModel, string>> = {
  executable: 'Run as a program of its own by the VPN client: it needs its #! line and the execute bit.',
  'function-body': 'Run time: pasted into the generated firewall script as a function body, so use return (exit ends the whole firewall script).',
  'perl-compile-time': 'Compile time: Perl evaluated by the rules compiler; the file must end with a true value (1;).',
  'cli-tool': 'Run by the command-line tools, not by the generated firewall script.',
  library: 'Run time: its functions are copied into the generated firewall script for the other hooks.',
};

export function envMarkdown(v: EnvVar, recognized: Recognized): string {
  return `**$${v.name}** · set for ${recognized.family.displayName} ${recognized.hook.name} hooks\n\n${v.meaning}\n\nExample value: \`${v.mock}\``;
}

export function functionMarkdown(f: HookFunction): string {
  return `\`\`\`\n${f.signature}\n\`\`\`\n\n${f.doc}`;
}

/** When a hook runs and how, from the family's table. */
export function hookMarkdown(recognized: Recognized): string {
  const hook: HookSpec = recognized.hook;
  const lines = [`**${hook.name}** · ${recognized.family.displayName}`, '', hook.description, '', runModelText[hook.runModel]];
  const by = recognized.family.id === 'shorewall' ? hook.runBy.map((c) => (c === 'every command' ? c : `shorewall ${c}`)) : hook.runBy;
  lines.push('', by.length ? `Runs on: ${by.map((c) => `\`${c}\``).join(', ')}` : 'No command runs it.');
  if (hook.env.length) lines.push('', `Environment: ${hook.env.map((v) => `\`$${v.name}\``).join(', ')}`);
  if (hook.removedIn) lines.push('', `> Removed in Shorewall ${hook.removedIn}: it never runs on current versions.`);
  return lines.join('\n');
}
