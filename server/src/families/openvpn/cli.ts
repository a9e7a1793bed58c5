import { UsageError } from '../../cli/usageError';
import { FamilyCli } from '../family';
import { openvpnEvents } from './hooks';
import { LearnAddressOp, learnAddressOps, OpenvpnRequest, OpenvpnStep, openvpnSteps } from './request';

/** What OpenVPN's source calls auth-user-pass-verify's script_type: accepted as the same event. */
const aliases: Readonly<Record<string, OpenvpnStep>> = { 'user-pass-verify': 'auth-user-pass-verify' };

function eventOf(word: string): OpenvpnStep {
  const e = aliases[word] ?? word;
  if (!openvpnSteps.includes(e as OpenvpnStep))
    throw new UsageError(`Unknown OpenVPN event '${word}': use ${openvpnSteps.join(', ')} (or user-pass-verify).`);
  return e as OpenvpnStep;
}

function opsOf(list: string): LearnAddressOp[] {
  return list.split(',').map((w) => {
    const op = w.trim();
    if (!learnAddressOps.includes(op as LearnAddressOp))
      throw new UsageError(`Unknown learn-address operation '${op}': use ${learnAddressOps.join(', ')}.`);
    return op as LearnAddressOp;
  });
}

/** `hooksmith simulate openvpn EVENT,EVENT... (--config FILE | --script FILE)`, or `--script FILE --type EVENT`. */
export const openvpnCli: FamilyCli = {
  words: ['openvpn'],
  usage: [
    'hooksmith simulate openvpn EVENT[,EVENT...] (--config client.conf | --script FILE) [options]',
    'hooksmith simulate openvpn --script FILE --type EVENT [options]',
  ],
  options: `OpenVPN options (EVENT: ${openvpnEvents.join(', ')}; user-pass-verify is auth-user-pass-verify;
  restart: a SIGUSR1 / ping-restart, down then up as the config's persist-tun and up-restart make them):
  --config FILE              the OpenVPN config: its script directives (the command split as OpenVPN splits it,
                             found beside the config or in the workspace), script-security, user/group, dev
  --script FILE              run this script for every event instead
  --type EVENT               with --script: the one event to run (instead of the list)
  --learn-address OPS        learn-address's operations, in order: add,update,delete (default add; delete passes no cn)
  --tls-chain SUBJECTS       the peer's certificate subjects separated by ';', its CA first and the peer last:
                             tls-verify runs once per depth, from the CA down to the peer (default: a CA and client1)`,
  parse(_word, argv, options) {
    const [first, ...after] = argv;
    const listed = first !== undefined && !first.startsWith('-');
    const b = options(listed ? after : argv, {
      '--config': (v, f) => (f.config = v),
      '--script': (v, f) => (f.script = v),
      '--type': (v, f) => (f.type = eventOf(v)),
      '--learn-address': (v, f) => (f.learnAddressOps = opsOf(v)),
      '--tls-chain': (v, f) =>
        (f.tlsChain = v
          .split(';')
          .map((x) => x.trim())
          .filter(Boolean)),
    });
    const { type, ...fields } = b.fields;
    if (!listed && type === undefined)
      throw new UsageError(`simulate openvpn needs a list of events, for example up,down (${openvpnEvents.join(', ')}), or --type EVENT.`);
    const events = listed ? first.split(',').map((e) => eventOf(e.trim())) : [type as OpenvpnStep];
    if (!fields.config && !fields.script) throw new UsageError('simulate openvpn needs --config FILE or --script FILE.');
    const request: OpenvpnRequest = { kind: 'openvpn', events, ...fields };
    return { json: b.json, request };
  },
};
