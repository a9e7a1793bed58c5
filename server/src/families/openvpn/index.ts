import * as path from 'node:path';
import { Finding } from '../../diagnostics';
import { HookFamily, HookFile, Recognized, WiredHook } from '../family';
import { openvpnCompletion, openvpnHover, openvpnPositional } from './authoring';
import { openvpnCli } from './cli';
import { openvpnConfig } from './config';
import { contentFindings, fileFindings } from './content';
import { combinedHook, hookByName, openvpnEvents, openvpnHooks } from './hooks';
import { configLenses, hookLenses } from './lenses';
import { OpenvpnRequest, openvpnRequest } from './request';
import { openvpnRules } from './rules';
import { openvpnShellcheck } from './shellcheck';
import { openvpnSnippets } from './snippets';
import { simulateOpenvpn } from './simulate/simulate';
import { openvpnFromTask, openvpnTarget, openvpnTasks } from './targets';

const conf = openvpnConfig(() => openvpn);

export const openvpn: HookFamily = {
  id: 'openvpn',
  displayName: 'OpenVPN scripts',
  product: 'OpenVPN',
  hooks: openvpnHooks,
  files: {
    // The scripts have any name: a config's script directives wire them (or hooksmith.hooks.families maps them).
    candidates: ['**/*.ovpn', '**/openvpn/**'],
    markers: ['**/*.ovpn', '**/openvpn/**/*.conf'],
    mappingExample: '**/openvpn/scripts',
    // Scripts without #! open as Plain Text; VS Code opens .conf as Properties, .ovpn as Plain Text.
    languages: ['shellscript', 'plaintext', 'properties', 'ini'],
  },
  snippets: openvpnSnippets,
  configs: [{ ...conf, lenses: configLenses, hover: openvpnHover, completion: openvpnCompletion }],
  rules: openvpnRules,
  recognitionDoc:
    'A file is an OpenVPN script when a script directive (`up`, `down`, `route-up`, `route-pre-down`, `client-connect`, ' +
    '`client-disconnect`, `learn-address`, `tls-verify`, `auth-user-pass-verify`, `ipchange`) of an OpenVPN config in ' +
    'the workspace names it (relative to the config, at its path, through `hooksmith.hooks.serverPaths`, or by its ' +
    'name beside the config), or when `hooksmith.hooks.families` maps it to `openvpn`. The config itself is a `*.ovpn` ' +
    'file, or a `*.conf` with OpenVPN directives (`client`, `remote`, `dev tun`, `server`, `<ca>` ...) and no INI sections.',
  recognize(file: string, _siblings: readonly string[], forced: boolean): Recognized | undefined {
    return forced ? { family: openvpn, hook: hookByName(path.basename(file)) } : undefined;
  },
  recognizeWired(_file: string, wired: readonly WiredHook[]): Recognized {
    const hooks = openvpnHooks.filter((h) => wired.some((w) => w.hook === h));
    return { family: openvpn, hook: combinedHook(hooks.length ? hooks : [wired[0].hook]), wiredBy: wired };
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    return [...fileFindings(file), ...contentFindings(file, recognized)];
  },
  runModelDocs: {
    executable:
      "Exec'd by OpenVPN without a shell: the directive's words split as OpenVPN splits them, OpenVPN's own arguments " +
      'appended; it needs its #! line and the execute bit, and script-security 2 in the config.',
  },
  positionalArgs: openvpnPositional,
  runByText: (event) => `script_type=${event === 'auth-user-pass-verify' ? 'user-pass-verify' : event}`,
  hookLenses,
  shellcheckPlan: openvpnShellcheck,
  simulation: {
    request: openvpnRequest,
    describe: (req) => `OpenVPN ${(req as OpenvpnRequest).events.join(' then ')}`,
    run: (req, hooks) => simulateOpenvpn(req as OpenvpnRequest, hooks),
    cli: openvpnCli,
    target: openvpnTarget,
    tasks: openvpnTasks,
    fromTask: openvpnFromTask,
    taskKinds: ['openvpn'],
  },
  commands: [
    {
      command: 'hooksmith.simulateOpenvpn',
      title: 'Simulate OpenVPN Up then Down',
      liveLabel: 'OpenVPN up then down',
      fields: { events: ['up', 'down'] },
      editorTitle: true,
      explorer: { group: '7_hooksmith@7' },
    },
    {
      command: 'hooksmith.simulateOpenvpnClient',
      title: 'Simulate OpenVPN Client Connect then Disconnect',
      liveLabel: 'OpenVPN client-connect then client-disconnect',
      fields: { events: ['client-connect', 'learn-address', 'client-disconnect'] },
      explorer: { group: '7_hooksmith@8' },
    },
  ],
};

export { openvpnEvents };
