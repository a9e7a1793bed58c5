import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * The sandbox's network starts with loopback only: wg-quick's own steps, run there, add the
 * interface (a tun device named after the config stands in for the WireGuard link), its addresses
 * and routes, and delete it on down, so the state diff shows them as wg-quick makes them.
 */
export function wgSandboxNetwork(): SandboxNetwork {
  return { addresses: [] };
}
