import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { OpenvpnEvent, openvpnEvents } from './hooks';
import { OpenvpnRequest } from './request';

/** What OpenVPN's source calls auth-user-pass-verify's script_type: accepted as the same event. */
const aliases: Readonly<Record<string, OpenvpnEvent>> = { 'user-pass-verify': 'auth-user-pass-verify' };

function eventOf(word: string): OpenvpnEvent {
  const e = aliases[word] ?? word;
  if (!openvpnEvents.includes(e as OpenvpnEvent))
    throw new UsageError(`Unknown OpenVPN event '${word}': use ${openvpnEvents.join(', ')} (or user-pass-verify).`);
  return e as OpenvpnEvent;
}

/** `hooksmith simulate openvpn EVENT,EVENT... (--config FILE | --script FILE)`, or `--script FILE --type EVENT`. */
export const openvpnCli: FamilyCli = {
  words: ['openvpn'],
  usage: [
    'hooksmith simulate openvpn EVENT[,EVENT...] (--config client.conf | --script FILE) [options]',
    'hooksmith simulate openvpn --script FILE --type EVENT [options]',
  ],
  options: `OpenVPN options (EVENT: ${openvpnEvents.join(', ')}; user-pass-verify is auth-user-pass-verify):
  --config FILE              the OpenVPN config: its script directives (the command split as OpenVPN splits it,
                             found beside the config or in the workspace), script-security, user/group, dev
  --script FILE              run this script for every event instead
  --type EVENT               with --script: the one event to run (instead of the list)`,
  parse(_word, argv, options) {
    const [first, ...after] = argv;
    const listed = first !== undefined && !first.startsWith('-');
    const b = options(listed ? after : argv, {
      '--config': (v, f) => (f.config = v),
      '--script': (v, f) => (f.script = v),
      '--type': (v, f) => (f.type = eventOf(v)),
    });
    const { type, ...fields } = b.fields;
    if (!listed && type === undefined)
      throw new UsageError(`simulate openvpn needs a list of events, for example up,down (${openvpnEvents.join(', ')}), or --type EVENT.`);
    const events = listed ? first.split(',').map((e) => eventOf(e.trim())) : [type as OpenvpnEvent];
    if (!fields.config && !fields.script) throw new UsageError('simulate openvpn needs --config FILE or --script FILE.');
    const request: OpenvpnRequest = { kind: 'openvpn', events, ...fields };
    return { json: b.json, request };
  },
};
