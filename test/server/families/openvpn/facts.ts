import { OpenvpnEvent } from '../../../../server/src/families/openvpn/hooks';

/** A config's facts as the wiring hands them to a script (a server with topology subnet unless `more` says). */
export const facts = (userArgs: Partial<Record<OpenvpnEvent, number>> = {}, more: Record<string, unknown> = {}) => ({
  scriptSecurity: 2,
  downPre: false,
  downRoot: false,
  upRestart: false,
  dev: 'tun0',
  devType: 'tun',
  server: true,
  topology: 'subnet',
  userArgs,
  ...more,
});
