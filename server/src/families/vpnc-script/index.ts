import { Finding } from '../../diagnostics';
import { writableByOthers } from '../common/fileChecks';
import { HookFamily, HookFile, Recognized } from '../family';
import { contentFindings } from './content';
import { vpncCli } from './cli';
import { vpncHooks } from './hooks';
import { hookLenses } from './lenses';
import { launcherDocument } from './launchers';
import { vpncHookOf } from './naming';
import { VpncRequest, vpncRequest } from './request';
import { vpncRules } from './rules';
import { vpncShellcheck } from './shellcheck';
import { vpncSnippets } from './snippets';
import { simulateVpnc } from './simulate/simulate';
import { vpncFromTask, vpncTarget, vpncTasks } from './targets';

export const vpncScript: HookFamily = {
  id: 'vpnc-script',
  displayName: 'openconnect vpnc-script',
  product: 'openconnect',
  hooks: vpncHooks,
  files: {
    // A script named by a launcher can have any name: it reaches the server as a shell document.
    candidates: ['**/vpnc-script*', '**/vpnc/*.d/*'],
    markers: ['**/vpnc-script*', '**/vpnc/*.d/*'],
    mappingExample: '**/vpn/openconnect/**',
    // Hook-folder files need no #! line (they are sourced), so they often open as Plain Text.
    languages: ['shellscript', 'plaintext'],
  },
  snippets: vpncSnippets,
  configs: [launcherDocument(() => vpncScript)],
  rules: vpncRules,
  recognitionDoc:
    'A file is a vpnc-script when it is named `vpnc-script*`, or when a systemd unit (`*.service`) or a wrapper (a ' +
    'file whose name contains `openconnect` or ends in `.sh` / `.bash`) anywhere in the workspace, or a shell script ' +
    'of any name beside it (a `#!` line naming `sh`, `bash`, `dash`, `zsh`, `ksh` or `mksh`; at most 64 files of a ' +
    'folder are read), runs `openconnect --script` / `-s` with it (a ' +
    "relative path from the launcher's folder; an absolute one through `hooksmith.hooks.serverPaths`, under a " +
    'workspace folder, or by its name beside the launcher); a file ' +
    'is a vpnc-script hook when it is in a hook folder of the stock script (`vpnc/pre-init.d`, `connect.d`, ' +
    '`post-connect.d`, `disconnect.d`, `post-disconnect.d`, `attempt-reconnect.d`, `post-attempt-reconnect.d`, ' +
    '`reconnect.d`) and its name does not start with a dot.',
  recognize(file: string, siblings: readonly string[], forced: boolean): Recognized | undefined {
    const hook = vpncHookOf(file, siblings, forced);
    return hook ? { family: vpncScript, hook } : undefined;
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    const writable = writableByOthers(file, 'root');
    return [...(writable ? [writable] : []), ...contentFindings(file, recognized.hook)];
  },
  runModelDocs: {
    'shell-command':
      'Run by openconnect as /bin/sh -c "<script>" for each reason, with $reason and the tunnel\'s variables; its ' +
      'exit status is only logged.',
    sourced:
      'Sourced by the stock vpnc-script with ".", in glob order with the other files of its folder: it runs in the ' +
      "script's own shell, so exit ends the whole script, its #! line is a comment, and its variables and functions " +
      'stay for the files after it.',
  },
  runByText: (reason) => `reason=${reason}`,
  hookLenses,
  shellcheckPlan: vpncShellcheck,
  simulation: {
    request: vpncRequest,
    describe: (req) => `vpnc-script ${(req as VpncRequest).events.join(', ')}`,
    run: (req, hooks) => simulateVpnc(req as VpncRequest, hooks),
    cli: vpncCli,
    target: vpncTarget,
    tasks: vpncTasks,
    fromTask: vpncFromTask,
    taskKinds: ['vpnc-script'],
  },
  commands: [
    {
      command: 'hooksmith.simulateVpncSession',
      title: 'Simulate openconnect Session (vpnc-script)',
      liveLabel: 'openconnect session (vpnc-script)',
      editorTitle: true,
      explorer: { group: '7_hooksmith@5', folders: true },
    },
    {
      command: 'hooksmith.simulateVpncConnectDisconnect',
      title: 'Simulate vpnc-script connect then disconnect',
      liveLabel: 'vpnc-script connect then disconnect',
      fields: { events: ['connect', 'disconnect'] },
      explorer: { group: '7_hooksmith@6' },
    },
  ],
};
