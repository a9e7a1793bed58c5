import { EnvVar } from '../family';

/** The environment the seed's executor gives a script (Cisco's client documents none). */
export const anyconnectEnv: readonly EnvVar[] = [
  { name: 'CISCO_VPN_USERNAME', meaning: 'The user who connected.', mock: 'jdoe' },
  { name: 'CISCO_VPN_SERVER', meaning: 'The gateway host name.', mock: 'vpn.example.com' },
  { name: 'CISCO_VPN_IP', meaning: 'The address assigned to the client in the tunnel.', mock: '10.0.0.42' },
  {
    name: 'CISCO_VPN_EVENT',
    meaning: 'Why the script runs: connect or disconnect (reconnect and update are sent as disconnect by the seed).',
    mock: 'connect',
  },
];

/** The values the seed's executor puts in CISCO_VPN_EVENT. */
export const sentEvents = ['connect', 'disconnect'] as const;
