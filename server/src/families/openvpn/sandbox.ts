import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * The tun device OpenVPN has opened and configured before its scripts run: `dev` with
 * ifconfig_local (its prefix from ifconfig_netmask, a /32 peer address with net30 / p2p), so rules
 * and routes naming the device apply, and a down script can remove what up added.
 */
export function openvpnSandboxNetwork(env: Readonly<Record<string, string>>): SandboxNetwork {
  const device = /^[A-Za-z0-9_.-]{1,15}$/.test(env.dev ?? '') ? env.dev : 'tun0';
  const ip = /^\d{1,3}(\.\d{1,3}){3}$/.test(env.ifconfig_local ?? '') ? env.ifconfig_local : undefined;
  return { device, addresses: ip ? [`${ip}/${prefixOf(env.ifconfig_netmask)}`] : [] };
}

function prefixOf(netmask: string | undefined): number {
  if (!netmask || !/^\d{1,3}(\.\d{1,3}){3}$/.test(netmask)) return 32;
  return netmask.split('.').reduce((n, octet) => n + (Number(octet) >>> 0).toString(2).replace(/0/g, '').length, 0);
}
