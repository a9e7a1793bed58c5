import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';
import { anyconnectEnv } from './env';

const mockIp = anyconnectEnv.find((v) => v.name === 'CISCO_VPN_IP')?.mock ?? '10.0.0.42';

/**
 * The tunnel an AnyConnect hook finds in a simulation's sandbox: tun0 holding CISCO_VPN_IP (a /24,
 * so a route via the tunnel's gateway is on-link, as under the real client).
 */
export function anyconnectSandboxNetwork(env: Readonly<Record<string, string>>): SandboxNetwork {
  const ip = /^\d{1,3}(\.\d{1,3}){3}$/.test(env.CISCO_VPN_IP ?? '') ? env.CISCO_VPN_IP : mockIp;
  return { device: 'tun0', addresses: [`${ip}/24`] };
}
