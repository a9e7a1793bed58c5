import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * The interface the actions are about, as NetworkManager has set it up by the time it dispatches
 * them: for vpn- actions the tunnel with the VPN's address (VPN_IP4_ADDRESS_0), for the others the
 * device with IP4_ADDRESS_0; routes and rules naming it apply in the sandbox.
 */
export function nmSandboxNetwork(iface: string, env: Readonly<Record<string, string>>): SandboxNetwork {
  const device = /^[A-Za-z0-9_.-]{1,15}$/.test(iface) ? iface : 'tun0';
  const first = (env.VPN_IP4_ADDRESS_0 ?? env.IP4_ADDRESS_0 ?? '').split(' ')[0];
  return { device, addresses: /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(first) ? [first] : [] };
}
