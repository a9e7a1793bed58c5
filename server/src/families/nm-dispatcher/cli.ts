import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { Action, actions, Stack, stacks } from './hooks';
import { NmRequest, nmTimeoutMs } from './request';

/** `hooksmith simulate nm-dispatcher ACTION,ACTION... --dir DIR [--interface IFACE]`. */
export const nmCli: FamilyCli = {
  words: ['nm-dispatcher'],
  usage: ['hooksmith simulate nm-dispatcher ACTION,ACTION... --dir DIR [--interface IFACE] [--stack ipv4] [options]'],
  options: `nm-dispatcher options (ACTION: ${actions.join(', ')}):
  --dir DIR                  the dispatcher.d folder (as /etc/NetworkManager/dispatcher.d): per
                             action, its scripts (or pre-up.d's, pre-down.d's) run in name order
  --interface IFACE          $1: the VPN interface for vpn- actions (VPN_IP_IFACE, default tun0),
                             the device otherwise (DEVICE_IFACE, default eth0; with vpn- actions
                             in the list too, the device under the tunnel stays eth0)
  --stack dual|ipv4          the connections' addressing: dual (default: IP4_ and IP6_ variables)
                             or ipv4 (no IP6_ / VPN_IP6_ variables, as on an IPv4-only network)
                             (--timeout defaults to 600 here: NetworkManager kills a script after 600 s)`,
  parse(_word, argv, options) {
    const [list, ...rest] = argv;
    if (list === undefined || list.startsWith('-'))
      throw new UsageError(`simulate nm-dispatcher needs a list of actions, for example vpn-up,vpn-down (${actions.join(', ')}).`);
    const events = list.split(',').map((e) => e.trim());
    for (const e of events) if (!actions.includes(e as Action)) throw new UsageError(`Unknown action '${e}': use ${actions.join(', ')}.`);
    const b = options(rest, {
      '--dir': (v, f) => (f.dir = v),
      '--interface': (v, f) => (f.interface = interfaceName(v)),
      '--stack': (v, f) => (f.stack = stackOf(v)),
    });
    if (typeof b.fields.dir !== 'string') throw new UsageError('simulate nm-dispatcher needs --dir DIR (the dispatcher.d folder).');
    const request: NmRequest = {
      kind: 'nm-dispatcher',
      events: events as Action[],
      timeoutMs: nmTimeoutMs,
      ...(b.fields as { dir: string }),
    };
    return { json: b.json, request };
  },
};

function stackOf(v: string): Stack {
  if (!stacks.includes(v as Stack)) throw new UsageError(`--stack is dual or ipv4, not '${v}'.`);
  return v as Stack;
}

/** An interface name as the kernel takes one: 1 to 15 characters, no slash, space or colon. */
export function interfaceName(v: string): string {
  if (!/^[A-Za-z0-9_.@+-]{1,15}$/.test(v))
    throw new UsageError(`--interface takes an interface name (1 to 15 letters, digits, _ . - + @), not '${v}'.`);
  return v;
}
