import type { SandboxNetwork } from '../../simulate/sandbox/sandbox';

/**
 * The tun device OpenVPN has opened and configured before its scripts run: `dev` with
 * ifconfig_local (its prefix from ifconfig_netmask, a /32 peer address with net30 / p2p), so rules
 * and routes naming the device apply, and a down script can remove what up added.
 */
export function openvpnSandboxNetwork(env: Readonly<Record<string, string>>): SandboxNetwork {
  const device = /^[A-Za-z0-9_.-]{1,15}$/.test(env.dev ?? '') ? env.dev : 'tun0';
  const ipv4 = (v: string | undefined): v is string => /^\d{1,3}(\.\d{1,3}){3}$/.test(v ?? '');
  const ip = ipv4(env.ifconfig_local) ? env.ifconfig_local : undefined;
  const prefix = prefixOf(env.ifconfig_netmask);
  // With a /32 (net30, p2p) the far end is reached through the device, as OpenVPN's ifconfig with a
  // peer makes it: routes "via" it (route_vpn_gateway) must work in the sandbox too.
  const peers = prefix === 32 ? [...new Set([env.ifconfig_remote, env.route_vpn_gateway].filter(ipv4))] : [];
  return {
    device,
    addresses: ip ? [`${ip}/${prefix}`] : [],
    routes: peers.filter((p) => p !== ip).map((p) => `${p}/32`),
  };
}

function prefixOf(netmask: string | undefined): number {
  if (!netmask || !/^\d{1,3}(\.\d{1,3}){3}$/.test(netmask)) return 32;
  return netmask.split('.').reduce((n, octet) => n + (Number(octet) >>> 0).toString(2).replace(/0/g, '').length, 0);
}
