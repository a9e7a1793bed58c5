import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * openconnect opens the tun device before connect and leaves its configuration to the script: the
 * sandbox has tun0 with no address, so `ip addr add $INTERNAL_IP4_ADDRESS dev $TUNDEV` works.
 */
export function vpncSandboxNetwork(tundev: string | undefined): SandboxNetwork {
  const device = /^[A-Za-z0-9_.-]{1,15}$/.test(tundev ?? '') ? tundev : 'tun0';
  return { device, addresses: [] };
}
