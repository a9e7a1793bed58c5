import type { Skipped } from '../../../protocol';
import { OpenvpnFacts } from '../config';
import { OpenvpnEvent } from '../hooks';
import { LearnAddressOp, OpenvpnRequest, OpenvpnStep } from '../request';

/** One run OpenVPN makes of a directive's script. */
export interface Step {
  readonly event: OpenvpnEvent;
  /** `$script_context`, and up / down's last argument. */
  readonly context: 'init' | 'restart';
  /** learn-address's operation. */
  readonly op?: LearnAddressOp;
  /** tls-verify: this run's depth, and the chain's subjects (its CA first, the peer last). */
  readonly depth?: number;
  readonly chain?: readonly string[];
  /** down or up run by a restart (SIGUSR1, ping-restart). */
  readonly restart?: boolean;
  /** down's run of the down-root plugin's command (as root, with up's environment, before the down directive's). */
  readonly plugin?: boolean;
}

/** A peer's chain when the request names none: one CA, then the client. */
export const defaultChain: readonly string[] = ['C=US, O=Example, CN=Example CA', 'C=US, O=Example, CN=client1'];

/** The runs one of a request's events stands for, or why OpenVPN would not run it. */
export function stepsOf(step: OpenvpnStep, req: OpenvpnRequest, facts: OpenvpnFacts | undefined): (Step | Skipped)[] {
  if (step === 'restart') return restartSteps(facts);
  if (step === 'tls-verify') {
    // OpenSSL calls the verify callback from the top of the chain down: the CA at the highest depth first, the peer (0) last.
    const chain = req.tlsChain?.length ? req.tlsChain : defaultChain;
    return chain.map((_, i) => ({ event: step, context: 'init', depth: chain.length - 1 - i, chain }));
  }
  if (step === 'learn-address')
    return (req.learnAddressOps?.length ? req.learnAddressOps : ['add' as const]).map((op) => ({ event: step, context: 'init', op }));
  return [{ event: step, context: 'init' }];
}

/**
 * A SIGUSR1 (or ping-restart) restart, as init.c's do_close_tun and do_open_tun run the scripts. With
 * persist-tun the device and its routes stay: down and up run only with up-restart, both with
 * `restart` (up as the dropped user, without the route variables, which only do_init_route_list
 * sets), and neither route-pre-down nor route-up runs. Without persist-tun the device is closed and
 * opened again as on start-up, with `init`: route-pre-down before the routes go, down, then up and
 * route-up; but after a privilege drop OpenVPN may no longer create the device (tun.c open_tun's
 * TUNSETIFF needs CAP_NET_ADMIN), so it exits before up.
 */
function restartSteps(facts: OpenvpnFacts | undefined): (Step | Skipped)[] {
  const persist = facts?.persistTun ?? true;
  if (persist && facts && !facts.upRestart)
    return [
      {
        label: 'restart',
        reason:
          'not run: with persist-tun and no up-restart a restart keeps the tun device and OpenVPN runs neither down nor up ' +
          '(add up-restart to run them, with script_context=restart).',
      },
    ];
  if (persist) return (['down', 'up'] as const).map((event) => ({ event, context: 'restart', restart: true }));
  const configured = (event: OpenvpnEvent): boolean => facts?.userArgs[event] !== undefined;
  const again = (event: OpenvpnEvent): Step => ({ event, context: 'init', restart: true });
  const closing = [...(configured('route-pre-down') ? [again('route-pre-down')] : []), again('down')];
  if (facts?.user || facts?.group) {
    const dev = facts.dev === `${facts.devType}0` ? facts.devType : facts.dev;
    return [
      ...closing,
      {
        label: 'up',
        reason:
          `not run: without persist-tun a restart closes the tun device and creates it again, but OpenVPN has dropped its ` +
          `privileges to ${facts.user ?? facts.group} and may not ("ERROR: Cannot ioctl TUNSETIFF ${dev}: Operation not ` +
          'permitted (errno=1)"): it exits. Add persist-tun.',
      },
    ];
  }
  return [...closing, again('up'), ...(configured('route-up') ? [again('route-up')] : [])];
}

export const isSkipped = (s: Step | Skipped): s is Skipped => 'reason' in s;
