import * as path from 'node:path';
import { Finding } from '../../diagnostics';
import { HookFamily, HookFile, Recognized } from '../family';
import { anyconnectHooks as hooks } from './hooks';
import { contentFindings } from './content';
import { eventPrefix, fileFindings, folderFindings } from './naming';
import { anyconnectCli } from './cli';
import { createOnDisk, createScriptFixer } from './fixes';
import { anyconnectRules } from './rules';
import { hookLenses, profileLenses } from './lenses';
import { AnyConnectRequest, anyconnectRequest, hookEvents } from './request';
import { anyconnectShellcheck } from './shellcheck';
import { anyconnectFromTask, anyconnectTarget, anyconnectTasks } from './targets';
import { simulateAnyConnect } from './simulate/simulate';
import { anyconnectSnippets } from './snippets';

/** Source files of other languages: a handler named onConnect.tsx is application code, not a hook. */
const sourceExtensions =
  'ts|tsx|js|jsx|mjs|cjs|java|kt|c|h|cc|cpp|hpp|cs|go|rs|swift|m|mm|scala|dart|vue|svelte|css|scss|html|json|md|xml|ya?ml|map|class|o';
const sourceCode = new RegExp(`\\.(${sourceExtensions})$`, 'i');

export const anyconnect: HookFamily = {
  id: 'anyconnect',
  displayName: 'Cisco AnyConnect / Secure Client',
  product: "Cisco's client",
  hooks,
  files: {
    // Broad on purpose: case variants and near misses of OnConnect / OnDisconnect.
    candidates: ['**/[Oo][Nn]*'],
    markers: ['**/OnConnect*', '**/OnDisconnect*'],
    mappingExample: 'deploy/vpn/**',
    // Shell (or a #! of another interpreter), batch, PowerShell, VBScript; without an extension or #! line, Plain Text.
    languages: ['shellscript', 'perl', 'plaintext', 'bat', 'powershell', 'vb'],
  },
  snippets: anyconnectSnippets,
  rules: anyconnectRules,
  fixers: { HS304: createScriptFixer },
  createScript: createOnDisk,
  recognitionDoc:
    'A file is an AnyConnect hook when its name starts with `OnConnect` / `OnDisconnect`, in any letter case, or ' +
    'with a near miss of them (`OnConect`, `On_Connect`).',
  recognize(file: string): Recognized | undefined {
    if (sourceCode.test(file)) return undefined; // onConnect.ts in an application is not a VPN hook
    const prefix = eventPrefix(path.basename(file));
    const hook = prefix && hooks.find((h) => h.name === prefix.event);
    return hook ? { family: anyconnect, hook } : undefined;
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    return [...fileFindings(file), ...folderFindings(file, recognized.hook.name), ...contentFindings(file, recognized.hook.name)];
  },
  runModelDocs: { executable: 'Run as a program of its own by the VPN client: it needs its #! line and the execute bit.' },
  hookLenses,
  profileLenses,
  shellcheckPlan: anyconnectShellcheck,
  simulation: {
    request: anyconnectRequest,
    describe: (req) => (req as AnyConnectRequest).events.join(' then '),
    run: (req, hooks) => simulateAnyConnect(req as AnyConnectRequest, hooks),
    cli: anyconnectCli,
    target: anyconnectTarget,
    tasks: anyconnectTasks,
    fromTask: anyconnectFromTask,
    taskKinds: [...hookEvents, 'sequence'],
  },
  commands: [
    {
      command: 'hooksmith.simulateConnect',
      title: 'Simulate Connect',
      liveLabel: 'Connect',
      fields: { events: ['connect'] },
      explorer: { group: '7_hooksmith@1' },
      profiles: true,
    },
    {
      command: 'hooksmith.simulateDisconnect',
      title: 'Simulate Disconnect',
      liveLabel: 'Disconnect',
      fields: { events: ['disconnect'] },
      explorer: { group: '7_hooksmith@2' },
      profiles: true,
    },
    {
      command: 'hooksmith.simulateConnectThenDisconnect',
      title: 'Simulate Connect then Disconnect',
      liveLabel: 'Connect then Disconnect',
      fields: { events: ['connect', 'disconnect'] },
      editorTitle: true,
      explorer: { group: '7_hooksmith@3' },
      profiles: true,
    },
  ],
};
