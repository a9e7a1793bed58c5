import { envOf, OcservEvent } from '../hooks';
import { exportedPorts, PortEntry } from '../ports';
import { ConfigSession } from './fromConfig';

/** IPv4 facts an IPv6-only session does not have. */
const ipv4Only = new Set(['IP_LOCAL', 'IP_REMOTE', 'OCSERV_ROUTES4', 'OCSERV_NO_ROUTES4', 'OCSERV_DNS4']);
/**
 * Set only with restrictions; OCSERV_NEXT_SCRIPT never reaches a user's script: ocserv sets it for ocserv-fw, whose
 * execute_next_script() unsets it before `/bin/sh "$TMP_SCRIPT"` (ocserv's src/ocserv-fw).
 */
const conditional = new Set(['OCSERV_RESTRICT_TO_ROUTES', 'OCSERV_ALLOW_PORTS', 'OCSERV_DENY_PORTS', 'OCSERV_NEXT_SCRIPT']);

export interface SessionShape {
  readonly ipv6Only: boolean;
  /** restrict-user-to-routes from ocserv.conf. */
  readonly restrictRoutes: boolean;
  /** restrict-user-to-ports from ocserv.conf, when it lists ports ocserv can parse. */
  readonly ports?: { readonly deny: boolean; readonly entries: readonly PortEntry[] };
  /** What ocserv.conf's route, dns, network and device keys make of the session. */
  readonly config?: ConfigSession;
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
    if (conditional.has(v.name)) continue;
    env[v.name] = v.mock;
  }
  Object.assign(env, shape.config?.env);
  for (const name of shape.config?.unset ?? []) delete env[name];
  env.REASON = event;
  if (shape.ipv6Only) {
    for (const name of ipv4Only) delete env[name];
    // The lists hold only their IPv6 entries, and are unset when there are none (ocserv sets only non-empty lists).
    for (const list of ['OCSERV_ROUTES', 'OCSERV_DNS', 'OCSERV_NO_ROUTES']) {
      if (env[`${list}6`] === undefined) delete env[list];
      else env[list] = env[`${list}6`];
    }
  }
  if (shape.restrictRoutes) env.OCSERV_RESTRICT_TO_ROUTES = '1';
  // ocserv's export_fw_info(): one list, named for whether the value was negated with !(...).
  if (shape.ports) env[shape.ports.deny ? 'OCSERV_DENY_PORTS' : 'OCSERV_ALLOW_PORTS'] = exportedPorts(shape.ports.entries);
  return env;
}
