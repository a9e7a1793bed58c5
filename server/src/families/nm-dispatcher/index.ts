import { Finding } from '../../diagnostics';
import { HookFamily, HookFile, Recognized } from '../family';
import { nmCli } from './cli';
import { contentFindings } from './content';
import { nmHooks } from './hooks';
import { hookLenses } from './lenses';
import { fileFindings, hiddenByEtc, nmHookOf, unlinkedNoWait } from './naming';
import { NmRequest, nmRequest, nmTimeoutMs } from './request';
import { nmRules } from './rules';
import { nmShellcheck } from './shellcheck';
import { nmSnippets } from './snippets';
import { simulateNm } from './simulate/simulate';
import { nmFromTask, nmTarget, nmTasks } from './targets';

export const nmDispatcher: HookFamily = {
  id: 'nm-dispatcher',
  displayName: 'NetworkManager dispatcher scripts',
  product: 'NetworkManager',
  hooks: nmHooks,
  files: {
    candidates: ['**/NetworkManager/dispatcher.d/*', '**/NetworkManager/dispatcher.d/*/*'],
    markers: ['**/NetworkManager/dispatcher.d/*'],
    mappingExample: '**/nm/dispatcher',
    // Scripts without #! (or with it further down) open as Plain Text.
    languages: ['shellscript', 'plaintext'],
  },
  snippets: nmSnippets,
  rules: nmRules,
  skipsLinksToDevNull: true,
  recognitionDoc:
    'A file is a NetworkManager dispatcher script when it is in a `NetworkManager/dispatcher.d` folder or in its ' +
    '`pre-up.d`, `pre-down.d` or `no-wait.d` (any name: the rules say which names NetworkManager skips), or when ' +
    '`hooksmith.hooks.families` maps its folder to `nm-dispatcher`.',
  recognize(file: string, _siblings: readonly string[], forced: boolean): Recognized | undefined {
    const hook = nmHookOf(file, forced);
    return hook ? { family: nmDispatcher, hook } : undefined;
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    return [
      ...fileFindings(file, recognized.hook),
      ...hiddenByEtc(file),
      ...unlinkedNoWait(file, recognized.hook),
      ...contentFindings(file, recognized.hook),
    ];
  },
  runModelDocs: {
    executable:
      "Exec'd by NetworkManager's dispatcher as root with $1 (the interface) and $2 (the action), from /, one script at a " +
      'time in name order, killed after 600 s; it must be owned by root, not writable by group or others, not set-UID, ' +
      'and executable by its owner, or NetworkManager refuses it.',
  },
  runByText: (action) => `action ${action}`,
  hookLenses,
  shellcheckPlan: nmShellcheck,
  simulation: {
    request: nmRequest,
    defaultTimeoutMs: nmTimeoutMs,
    describe: (req) => `NetworkManager dispatcher ${(req as NmRequest).events.join(', ')}`,
    run: (req, hooks) => simulateNm(req as NmRequest, hooks),
    cli: nmCli,
    target: nmTarget,
    tasks: nmTasks,
    fromTask: nmFromTask,
    taskKinds: ['nm-dispatcher'],
  },
  commands: [
    {
      command: 'hooksmith.simulateNmVpnUpDown',
      title: 'Simulate NetworkManager vpn-up then vpn-down',
      liveLabel: 'NetworkManager vpn-up then vpn-down',
      editorTitle: true,
      explorer: { group: '7_hooksmith@7', folders: true },
    },
    {
      command: 'hooksmith.simulateNmUpDown',
      title: 'Simulate NetworkManager up then down',
      liveLabel: 'NetworkManager up then down',
      fields: { events: ['up', 'down'] },
      explorer: { group: '7_hooksmith@8' },
    },
  ],
};
