import { isIP } from 'node:net';
import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * The session's tun device in a simulation's sandbox: ocserv's DEVICE holding the server's end of
 * the tunnel (IP_LOCAL, a /24 as ipv4-network usually is), so rules and routes naming it apply.
 * A session with IPv6 gets it as ocserv's tun.c sets it: IPV6_LOCAL as a /128 on the device and a
 * route to the client's prefix (IPV6_REMOTE/IPV6_PREFIX) through it; an IPv6-only session gets
 * that alone. The runner opens it before the first script and removes it after disconnect.
 */
export function ocservSandboxNetwork(env: Readonly<Record<string, string>>): SandboxNetwork {
  const device = /^[A-Za-z0-9_.-]{1,15}$/.test(env.DEVICE ?? '') ? env.DEVICE : 'vpns0';
  const ip = isIP(env.IP_LOCAL ?? '') === 4 ? env.IP_LOCAL : undefined;
  const ip6 = ipv6(env.IPV6_LOCAL);
  const remote6 = ipv6(env.IPV6_REMOTE);
  const prefix = /^\d{1,3}$/.test(env.IPV6_PREFIX ?? '') && Number(env.IPV6_PREFIX) <= 128 ? env.IPV6_PREFIX : '128';
  return {
    device,
    addresses: [...(ip ? [`${ip}/24`] : []), ...(ip6 ? [`${ip6}/128`] : [])],
    routes: ip6 && remote6 ? [`${remote6}/${prefix}`] : [],
    // Opened before the first script and removed when the session ends, as ocserv's tun device is.
    opensLater: true,
  };
}

/** An IPv6 address as ip takes it here (no zone), or undefined. */
function ipv6(value: string | undefined): string | undefined {
  return value !== undefined && isIP(value) === 6 && /^[0-9A-Fa-f:.]+$/.test(value) ? value : undefined;
}
