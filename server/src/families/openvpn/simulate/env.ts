import { OpenvpnFacts } from '../config';
import { appendedArgs, envOf, OpenvpnEvent, scriptTypeOf } from '../hooks';

/** The session a simulation stands for: a client's tunnel, or a server's client. */
export interface SessionShape {
  readonly facts: OpenvpnFacts | undefined;
  readonly config: string | undefined;
  /** Temporary files OpenVPN would create: client-connect's config file, auth-user-pass-verify via-file's credentials. */
  readonly tempFile?: string;
}

/**
 * The variables OpenVPN sets for a directive, with realistic values: the tunnel's for up and down
 * (dev from the config, its address, two routes, two pushed options), the client's for the
 * server-side scripts; script_type as the source sends it, script_context=init.
 */
export function eventEnv(event: OpenvpnEvent, shape: SessionShape): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of envOf([event])) if (v.mock !== '' && (!v.setOn || v.setOn.includes(event))) env[v.name] = v.mock;
  const f = shape.facts;
  if (f) {
    env.dev = f.dev;
    env.dev_type = f.devType;
    if (f.topology !== 'subnet' && env.ifconfig_netmask && !f.server) {
      // net30 / p2p: the peer's address instead of a netmask
      delete env.ifconfig_netmask;
      if (appendedArgs[event].length === 6) env.ifconfig_remote = '10.8.0.1';
    }
  }
  if (shape.config) env.config = shape.config;
  if (event === 'auth-user-pass-verify' && f?.authMethod !== 'via-env') delete env.password;
  if (event === 'auth-user-pass-verify' && f?.authMethod === 'via-env' && f.scriptSecurity < 3) delete env.password;
  env.script_type = scriptTypeOf[event];
  env.script_context = 'init';
  return env;
}

/** What OpenVPN appends after the directive's own words, for a simulated session. */
export function openvpnArgs(event: OpenvpnEvent, env: Readonly<Record<string, string>>, shape: SessionShape): string[] {
  switch (event) {
    case 'up':
    case 'down':
    case 'route-pre-down':
      return [env.dev, env.tun_mtu, '0', env.ifconfig_local, env.ifconfig_netmask ?? env.ifconfig_remote ?? '', env.script_context];
    case 'client-connect':
      return shape.tempFile ? [shape.tempFile] : [];
    case 'auth-user-pass-verify':
      return shape.facts?.authMethod === 'via-file' && shape.tempFile ? [shape.tempFile] : [];
    case 'learn-address':
      return ['add', env.ifconfig_pool_remote_ip, env.common_name];
    case 'tls-verify':
      return ['0', env.tls_id_0];
    case 'ipchange':
      return [env.trusted_ip, env.trusted_port];
    default:
      return [];
  }
}
