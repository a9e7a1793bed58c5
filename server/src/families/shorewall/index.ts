import * as path from 'node:path';
import { Finding } from '../../diagnostics';
import { HookFamily, HookFile, Recognized } from '../family';
import { shorewallCli } from './cli';
import { shorewallRules } from './rules';
import { contentFindings } from './content';
import { shorewallFunctions } from './functions';
import { shorewallHooks } from './hooks';
import { hookLenses } from './lenses';
import { fileFindings, shorewallName } from './naming';
import { ShorewallRequest, shorewallRequest } from './request';
import { shorewallShellcheck } from './shellcheck';
import { shorewallFromTask, shorewallTarget, shorewallTasks } from './targets';
import { simulateShorewall } from './simulate/runShorewall';

const folders = new Set(['shorewall', 'shorewall6', 'shorewall-lite', 'shorewall6-lite']);
const confFiles = ['shorewall.conf', 'shorewall6.conf', 'shorewall-lite.conf', 'shorewall6-lite.conf'];

import { shorewallSnippets } from './snippets';

export const shorewall: HookFamily = {
  id: 'shorewall',
  displayName: 'Shorewall extension scripts',
  product: 'Shorewall',
  hooks: shorewallHooks,
  files: {
    // A Shorewall folder is watched whole: any of its files can become a hook.
    candidates: ['**/shorewall*', '**/shorewall*/**'],
    markers: ['**/shorewall.conf'],
    mappingExample: '**/firewall/hooks',
    // Run-time hooks are sh, compile-time hooks Perl; without a #! line they open as Plain Text.
    languages: ['shellscript', 'perl', 'plaintext'],
  },
  snippets: shorewallSnippets,
  rules: shorewallRules,
  recognitionDoc:
    'A file is a Shorewall hook when it is in a folder named `shorewall`, `shorewall6`, `shorewall-lite` or ' +
    '`shorewall6-lite`, or beside `shorewall.conf`, and is named like an extension script or a near miss of one.',
  recognize(file: string, siblings: readonly string[], forced: boolean): Recognized | undefined {
    const dir = path.dirname(path.resolve(file));
    // /var/lib/shorewall is Shorewall's state folder (restore, firewall, ...), not its configuration.
    const stateFolder = /[\\/]var[\\/]lib[\\/]/.test(dir + path.sep);
    const inFolder = forced || (!stateFolder && folders.has(path.basename(dir))) || siblings.some((s) => confFiles.includes(s));
    const name = inFolder ? shorewallName(path.basename(file)) : undefined;
    return name ? { family: shorewall, hook: name.hook } : undefined;
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    const removed = recognized.hook.removedIn !== undefined;
    const named = shorewallName(path.basename(file.path));
    const content = removed || named?.kind !== 'exact' ? [] : contentFindings(file, recognized.hook);
    return [...fileFindings(file), ...content];
  },
  functions: shorewallFunctions,
  runModelDocs: {
    'function-body':
      'Run time: pasted into the generated firewall script as a function body, so use return (exit ends the whole firewall script).',
    'perl-compile-time': 'Compile time: Perl evaluated by the rules compiler; the file must end with a true value (1;).',
    'cli-tool': 'Run by the command-line tools, not by the generated firewall script.',
    library: 'Run time: its functions are copied into the generated firewall script for the other hooks.',
  },
  runByText: (command) => (command === 'every command' ? command : `shorewall ${command}`),
  hookLenses,
  shellcheckPlan: shorewallShellcheck,
  simulation: {
    request: shorewallRequest,
    describe: (req) => `shorewall ${(req as ShorewallRequest).command}`,
    run: (req, hooks) => simulateShorewall(req as ShorewallRequest, hooks),
    cli: shorewallCli,
    target: shorewallTarget,
    tasks: shorewallTasks,
    fromTask: shorewallFromTask,
    taskKinds: ['shorewall'],
  },
  commands: [
    {
      command: 'hooksmith.simulateShorewall',
      title: 'Simulate Shorewall Command...',
      liveLabel: 'Shorewall command…',
      editorTitle: true,
      explorer: { group: '7_hooksmith@4', folders: true },
    },
  ],
};
