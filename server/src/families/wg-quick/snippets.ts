/** The family's snippets (npm run sync:manifest writes snippets/<language>.json from them). */
import type { FamilySnippet } from '../family';

/** VS Code opens a .conf as Properties (or INI with an extension for it): the snippets go to both. */
const nat = (language: string): FamilySnippet => ({
  language,
  name: 'wg-quick: NAT PostUp/PostDown pair',
  prefix: 'wg-nat',
  description: 'A symmetric PostUp/PostDown pair: forwarding and masquerading for the tunnel, each rule removed with the same spec on down',
  body: [
    'PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -s ${1:10.99.0.0/24} -o ${2:eth0} -j MASQUERADE',
    'PostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -t nat -D POSTROUTING -s ${1:10.99.0.0/24} -o ${2:eth0} -j MASQUERADE',
    '$0',
  ],
});

const route = (language: string): FamilySnippet => ({
  language,
  name: 'wg-quick: routing rule PostUp/PostDown pair',
  prefix: 'wg-rule',
  description: 'A policy-routing rule added on up and deleted with the same spec on down',
  body: [
    'PostUp = ip rule add from ${1:10.99.0.0/24} table ${2:51820}',
    'PostDown = ip rule del from ${1:10.99.0.0/24} table ${2:51820}',
    '$0',
  ],
});

export const wgSnippets: readonly FamilySnippet[] = ['properties', 'ini'].flatMap((l) => [nat(l), route(l)]);
