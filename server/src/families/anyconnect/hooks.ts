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
    exitStatus: 'logged by the seed\'s executor ("Script completed with exit code N"); a simulation counts anything but 0 as not ok.',
  },
  {
    name: 'OnDisconnect',
    description: 'Runs when the VPN session ends: undo what OnConnect did.',
    runModel: 'executable',
    runBy: ['disconnect'],
    env: anyconnectEnv,
    exitStatus: 'logged by the seed\'s executor ("Script completed with exit code N"); a simulation counts anything but 0 as not ok.',
  },
];
