import { HookSpec } from '../family';
import { anyconnectEnv } from './env';

/** The two hooks Cisco's client runs (and the seed's executor). */
export const anyconnectHooks: readonly HookSpec[] = [
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
