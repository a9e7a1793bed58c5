import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * The interface in a simulation's sandbox: a tun device named after the config (wg0 for
 * wg0.conf; the sandbox cannot make a wireguard link, a tun device stands in) holding the
 * config's IPv4 Address values, so rules and routes naming it apply as they would.
 */
export function wgSandboxNetwork(iface: string, addresses: readonly string[]): SandboxNetwork {
  const device = /^[A-Za-z0-9_=+.-]{1,15}$/.test(iface) ? iface : 'wg0';
  return { device, addresses: addresses.filter((a) => /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(a)) };
}
