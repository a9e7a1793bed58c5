import { boolean } from '../../cli/optionValues';
import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { OcservEvent, ocservEvents } from './hooks';
import { OcservRequest } from './request';

/** `hooksmith simulate ocserv EVENT,EVENT... (--config FILE | --script FILE)`. */
export const ocservCli: FamilyCli = {
  words: ['ocserv'],
  usage: ['hooksmith simulate ocserv EVENT[,EVENT...] (--config ocserv.conf | --script FILE) [--ipv6-only true] [options]'],
  options: `ocserv options (EVENT: ${ocservEvents.join(', ')}; disconnect and host-update run only after a connect that exited 0):
  --config FILE              ocserv.conf: its connect-script, disconnect-script and host-update-script
                             (found as Hooksmith finds them: the path, then beside the config), its restrictions
  --script FILE              run this script for every event instead
  --ipv6-only true|false     an IPv6-only session: no IP_LOCAL and IP_REMOTE (default: false)`,
  parse(_word, argv, options) {
    const [list, ...rest] = argv;
    if (list === undefined || list.startsWith('-'))
      throw new UsageError(`simulate ocserv needs a list of events, for example connect,disconnect (${ocservEvents.join(', ')}).`);
    const events = list.split(',').map((e) => e.trim());
    for (const e of events)
      if (!ocservEvents.includes(e as OcservEvent)) throw new UsageError(`Unknown ocserv event '${e}': use ${ocservEvents.join(', ')}.`);
    const b = options(rest, {
      '--config': (v, f) => (f.config = v),
      '--script': (v, f) => (f.script = v),
      '--ipv6-only': (v, f) => (f.ipv6Only = boolean('--ipv6-only', v)),
    });
    if (!b.fields.config && !b.fields.script) throw new UsageError('simulate ocserv needs --config ocserv.conf or --script FILE.');
    const request: OcservRequest = { kind: 'ocserv', events: events as OcservEvent[], ...b.fields };
    return { json: b.json, request };
  },
};
