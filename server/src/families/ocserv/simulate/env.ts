import { envOf, OcservEvent } from '../hooks';

/** IPv4 facts an IPv6-only session does not have. */
const ipv4Only = new Set(['IP_LOCAL', 'IP_REMOTE', 'OCSERV_ROUTES4', 'OCSERV_NO_ROUTES4', 'OCSERV_DNS4']);
/**
 * Set only with restrictions; OCSERV_NEXT_SCRIPT never reaches a user's script: ocserv sets it for ocserv-fw, whose
 * execute_next_script() unsets it before `/bin/sh "$TMP_SCRIPT"` (ocserv's src/ocserv-fw).
 */
const conditional = new Set(['OCSERV_RESTRICT_TO_ROUTES', 'OCSERV_ALLOW_PORTS', 'OCSERV_DENY_PORTS', 'OCSERV_NEXT_SCRIPT']);

export interface SessionShape {
  readonly ipv6Only: boolean;
  /** restrict-user-to-routes / -ports from ocserv.conf. */
  readonly restrictRoutes: boolean;
  readonly restrictPorts: boolean;
}

/**
 * The variables ocserv sets for an event, with a realistic session's values: the STATS_ ones on
 * disconnect only, the route and DNS lists with their trailing space, no IPv4 facts for an
 * IPv6-only session, the restriction variables only when ocserv.conf restricts the user.
 */
export function sessionEnv(event: OcservEvent, shape: SessionShape): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of envOf([event])) {
    if (v.setOn && !v.setOn.includes(event)) continue;
    if (conditional.has(v.name) || (shape.ipv6Only && ipv4Only.has(v.name))) continue;
    env[v.name] = v.mock;
  }
  env.REASON = event;
  if (shape.ipv6Only) env.OCSERV_ROUTES = env.OCSERV_ROUTES6 ?? '';
  if (shape.ipv6Only) env.OCSERV_DNS = env.OCSERV_DNS6 ?? '';
  if (shape.ipv6Only) env.OCSERV_NO_ROUTES = env.OCSERV_NO_ROUTES6 ?? '';
  const mock = (name: string): string => envOf([event]).find((v) => v.name === name)?.mock ?? '';
  if (shape.restrictRoutes) env.OCSERV_RESTRICT_TO_ROUTES = '1';
  if (shape.restrictPorts) env.OCSERV_ALLOW_PORTS = mock('OCSERV_ALLOW_PORTS');
  return env;
}
