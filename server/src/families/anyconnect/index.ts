import * as path from 'node:path';
import { Finding } from '../../diagnostics';
import { HookFamily, HookFile, HookSpec, Recognized } from '../family';
import { anyconnectEnv } from './env';
import { contentFindings } from './content';
import { eventPrefix, fileFindings, folderFindings } from './naming';
import { AnyConnectRequest, anyconnectRequest } from './request';
import { simulateAnyConnect } from './simulate/simulate';

const hooks: readonly HookSpec[] = [
  {
    name: 'OnConnect',
    description: 'Runs when the VPN session is established: add routes, mount drives, update firewall rules, launch applications.',
    runModel: 'executable',
    runBy: ['connect', 'reconnect'],
    env: anyconnectEnv,
  },
  {
    name: 'OnDisconnect',
    description: 'Runs when the VPN session ends: undo what OnConnect did.',
    runModel: 'executable',
    runBy: ['disconnect'],
    env: anyconnectEnv,
  },
];

/** Source files of other languages: a handler named onConnect.tsx is application code, not a hook. */
const sourceCode = /\.(ts|tsx|js|jsx|mjs|cjs|java|kt|c|h|cc|cpp|hpp|cs|go|rs|swift|m|mm|scala|dart|vue|svelte|css|scss|html|json|md|xml|ya?ml|map|class|o)$/i;

export const anyconnect: HookFamily = {
  id: 'anyconnect',
  displayName: 'Cisco AnyConnect / Secure Client',
  hooks,
  recognize(file: string): Recognized | undefined {
    if (sourceCode.test(file)) return undefined; // onConnect.ts in an application is not a VPN hook
    const prefix = eventPrefix(path.basename(file));
    const hook = prefix && hooks.find((h) => h.name === prefix.event);
    return hook ? { family: anyconnect, hook } : undefined;
  },
  lint(file: HookFile, recognized: Recognized): Finding[] {
    return [...fileFindings(file), ...folderFindings(file, recognized.hook.name), ...contentFindings(file, recognized.hook.name)];
  },
  simulation: {
    request: anyconnectRequest,
    describe: (req) => (req as AnyConnectRequest).events.join(' then '),
    run: (req, hooks) => simulateAnyConnect(req as AnyConnectRequest, hooks),
  },
};
