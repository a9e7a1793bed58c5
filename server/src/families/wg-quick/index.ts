import { Finding } from '../../diagnostics';
import { HookFamily, HookFile, Recognized } from '../family';
import { wgCli } from './cli';
import { wgQuickConfig } from './config';
import { hookScript, wgHooks } from './hooks';
import { configLenses } from './lenses';
import { WgRequest, wgRequest } from './request';
import { wgRules } from './rules';
import { scriptFindings, scriptShellcheck } from './script';
import { wgSnippets } from './snippets';
import { simulateWg } from './simulate/simulate';
import { wgFromTask, wgTarget, wgTasks } from './targets';

const conf = wgQuickConfig(() => wgQuick);

export const wgQuick: HookFamily = {
  id: 'wg-quick',
  displayName: 'wg-quick hooks',
  product: 'wg-quick',
  hooks: wgHooks,
  files: {
    // The config is any *.conf with an [Interface] section; the scripts its lines run have any name.
    candidates: ['**/*.conf'],
    markers: ['**/wireguard/*.conf', '**/wg*.conf'],
    mappingExample: '**/wireguard/scripts',
    // VS Code opens a .conf as Properties (or INI); scripts without #! as Plain Text.
    languages: ['shellscript', 'plaintext', 'properties', 'ini'],
  },
  snippets: wgSnippets,
  configs: [{ ...conf, lenses: configLenses }],
  rules: wgRules,
  recognitionDoc:
    'A `.conf` file with an `[Interface]` section line is a wg-quick config: its `PreUp`, `PostUp`, `PreDown` and ' +
    '`PostDown` lines are the hooks, linted as bash in place. A script such a line runs by its path (found at the ' +
    'path, through `hooksmith.hooks.serverPaths`, or by its name beside the config) is a wg-quick hook script, as is ' +
    'a file `hooksmith.hooks.families` maps to `wg-quick`.',
  recognize(_file: string, _siblings: readonly string[], forced: boolean): Recognized | undefined {
    return forced ? { family: wgQuick, hook: hookScript } : undefined;
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    return scriptFindings(file, recognized);
  },
  runModelDocs: {
    evaluated:
      'A line of the config, run by wg-quick as (eval "$hook") in a bash subshell under set -e -o pipefail, after %i ' +
      'is replaced by the interface name: a failing command aborts wg-quick.',
    executable:
      "Run by a hook line's bash as a command, as root, with the arguments the line gives it (%i already replaced); " +
      "wg-quick's own variables (INTERFACE, CONFIG_FILE) are not exported to it.",
  },
  runByText: (event) => `wg-quick ${event}`,
  shellcheckPlan: (_recognized, _file, text) => scriptShellcheck(text),
  simulation: {
    request: wgRequest,
    describe: (req) => `wg-quick ${(req as WgRequest).events.join(' then ')}`,
    run: (req, hooks) => simulateWg(req as WgRequest, hooks),
    cli: wgCli,
    target: wgTarget,
    tasks: wgTasks,
    fromTask: wgFromTask,
    taskKinds: ['wg-quick'],
  },
  commands: [
    {
      command: 'hooksmith.simulateWgQuick',
      title: 'Simulate wg-quick Up then Down',
      liveLabel: 'wg-quick up then down',
      fields: { events: ['up', 'down'] },
      editorTitle: true,
      explorer: { group: '7_hooksmith@5' },
    },
  ],
};
