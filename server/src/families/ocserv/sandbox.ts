import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * The session's tun device in a simulation's sandbox: ocserv's DEVICE holding the server's end of
 * the tunnel (IP_LOCAL, a /24 as ipv4-network usually is), so rules and routes naming it apply.
 * An IPv6-only session gets the device alone.
 */
export function ocservSandboxNetwork(env: Readonly<Record<string, string>>): SandboxNetwork {
  const device = /^[A-Za-z0-9_.-]{1,15}$/.test(env.DEVICE ?? '') ? env.DEVICE : 'vpns0';
  const ip = /^\d{1,3}(\.\d{1,3}){3}$/.test(env.IP_LOCAL ?? '') ? env.IP_LOCAL : undefined;
  return { device, addresses: ip ? [`${ip}/24`] : [] };
}
