import * as path from 'node:path';
import { Finding } from '../../diagnostics';
import { HookFamily, HookFile, Recognized, WiredHook } from '../family';
import { ocservCompletion, ocservHover } from './authoring';
import { ocservCli } from './cli';
import { ocservConfig } from './config';
import { contentFindings, rolesOf, underOcservFw } from './content';
import { combinedHook, hookByName, ocservHooks } from './hooks';
import { configLenses, hookLenses } from './lenses';
import { fileFindings } from './naming';
import { OcservRequest, ocservRequest } from './request';
import { ocservRules } from './rules';
import { ocservShellcheck } from './shellcheck';
import { ocservSnippets } from './snippets';
import { simulateOcserv } from './simulate/simulate';
import { ocservFromTask, ocservTarget, ocservTasks } from './targets';

const conf = ocservConfig(() => ocserv);

export const ocserv: HookFamily = {
  id: 'ocserv',
  displayName: 'ocserv server scripts',
  product: 'ocserv',
  hooks: ocservHooks,
  files: {
    // The scripts have any name: ocserv.conf wires them (or hooksmith.hooks.families maps them).
    candidates: ['**/ocserv*', '**/ocserv*/**'],
    markers: ['**/ocserv.conf'],
    mappingExample: '**/vpn-server/scripts',
    // Scripts without #! open as Plain Text; VS Code opens ocserv.conf as Properties (.conf), or INI.
    languages: ['shellscript', 'plaintext', 'properties', 'ini'],
  },
  snippets: ocservSnippets,
  configs: [{ ...conf, lenses: configLenses, hover: ocservHover(() => ocserv), completion: ocservCompletion(() => ocserv) }],
  rules: ocservRules,
  recognitionDoc:
    'A file is an ocserv script when `connect-script`, `disconnect-script` or `host-update-script` of an ' +
    '`ocserv.conf` in the workspace names it (found at its path, through `hooksmith.hooks.serverPaths`, or by its ' +
    'name beside the config), or when `hooksmith.hooks.families` maps it to `ocserv`. `ocserv.conf` itself is ' +
    'recognised by its name (`ocserv*.conf`) or by keys only ocserv has.',
  recognize(file: string, _siblings: readonly string[], forced: boolean): Recognized | undefined {
    return forced ? { family: ocserv, hook: hookByName(path.basename(file)) } : undefined;
  },
  recognizeWired(_file: string, wired: readonly WiredHook[]): Recognized {
    const hooks = ocservHooks.filter((h) => wired.some((w) => w.hook === h));
    return { family: ocserv, hook: combinedHook(hooks.length ? hooks : [wired[0].hook]), wiredBy: wired };
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    const roles = rolesOf(recognized);
    return [...fileFindings(file, roles), ...underOcservFw(file, roles), ...contentFindings(file, recognized)];
  },
  runModelDocs: {
    executable:
      "Exec'd by ocserv's main process as root, with no arguments and everything in the environment: it needs its #! " +
      'line and the execute bit (with restrict-user-to-* ocserv-fw runs it as /bin/sh script instead).',
  },
  runByText: (event) => `REASON=${event}`,
  hookLenses,
  shellcheckPlan: ocservShellcheck,
  simulation: {
    request: ocservRequest,
    describe: (req) => `ocserv ${(req as OcservRequest).events.join(' then ')}`,
    run: (req, hooks) => simulateOcserv(req as OcservRequest, hooks),
    cli: ocservCli,
    target: ocservTarget,
    tasks: ocservTasks,
    fromTask: ocservFromTask,
    taskKinds: ['ocserv'],
  },
  commands: [
    {
      command: 'hooksmith.simulateOcserv',
      title: 'Simulate ocserv Connect then Disconnect',
      liveLabel: 'ocserv connect then disconnect',
      fields: { events: ['connect', 'disconnect'] },
      editorTitle: true,
      explorer: { group: '7_hooksmith@5' },
    },
    {
      command: 'hooksmith.simulateOcservHostUpdate',
      title: 'Simulate ocserv Connect then Host Update',
      liveLabel: 'ocserv connect then host-update',
      fields: { events: ['connect', 'host-update'] },
      explorer: { group: '7_hooksmith@6' },
    },
  ],
};
