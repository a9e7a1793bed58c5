import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * The interface a Shorewall hook is given ($1 of isusable and findgw) exists in the sandbox, with a
 * documentation address (RFC 5737): `ip addr show eth0` answers, and nothing it sends leaves.
 */
export function shorewallSandboxNetwork(iface: string): SandboxNetwork {
  const device = /^[A-Za-z0-9_.-]{1,15}$/.test(iface) ? iface : undefined;
  return { device, addresses: device ? ['192.0.2.10/24'] : [] };
}
