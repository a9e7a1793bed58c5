import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * openconnect runs pre-init, then opens the tun device, and leaves its configuration to the script:
 * the sandbox gets tun0, with no address, after pre-init (so `ip link show "$TUNDEV"` fails there as
 * it would), and `ip addr add $INTERNAL_IP4_ADDRESS dev $TUNDEV` works from connect on.
 */
export function vpncSandboxNetwork(tundev: string | undefined): SandboxNetwork {
  const device = /^[A-Za-z0-9_.-]{1,15}$/.test(tundev ?? '') ? tundev : 'tun0';
  return { device, addresses: [], opensLater: true };
}
