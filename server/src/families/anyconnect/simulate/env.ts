import * as os from 'node:os';
import { anyconnectEnv } from '../env';
import type { HookEvent } from '../request';
import type { ProfileFacts } from './profileFacts';

const mock = (name: string): string => anyconnectEnv.find((v) => v.name === name)?.mock ?? '';

/**
 * The seed executor's four variables with realistic values: the user running the simulation
 * (hooks run in user context), the profile's first server, a tunnel address. CISCO_VPN_EVENT is
 * what the seed's code sets: "connect" for connect and "disconnect" for every other event.
 */
export function defaultEnv(event: HookEvent, facts: ProfileFacts | undefined): Record<string, string> {
  return {
    CISCO_VPN_USERNAME: currentUser() ?? mock('CISCO_VPN_USERNAME'),
    CISCO_VPN_SERVER: facts?.server?.value ?? mock('CISCO_VPN_SERVER'),
    CISCO_VPN_IP: mock('CISCO_VPN_IP'),
    CISCO_VPN_EVENT: event === 'connect' ? 'connect' : 'disconnect',
  };
}

function currentUser(): string | undefined {
  try {
    return os.userInfo().username || undefined;
  } catch {
    return undefined; // no passwd entry for this uid (some containers)
  }
}
