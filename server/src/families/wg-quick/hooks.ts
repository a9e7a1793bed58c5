import { EnvVar, HookSpec } from '../family';

/** The commands of wg-quick that run hooks. */
export const wgEvents = ['up', 'down'] as const;
export type WgEvent = (typeof wgEvents)[number];

/** The four hook keys of [Interface], as wg-quick(8) spells them; keys compare case-insensitively. */
export const hookKeys = ['PreUp', 'PostUp', 'PreDown', 'PostDown'] as const;
export type HookKey = (typeof hookKeys)[number];

/** Which command runs each key, and the key whose changes it undoes. */
export const keyEvent: Readonly<Record<HookKey, WgEvent>> = { PreUp: 'up', PostUp: 'up', PreDown: 'down', PostDown: 'down' };
export const undoKeyOf: Readonly<Record<'PreUp' | 'PostUp', 'PreDown' | 'PostDown'>> = { PreUp: 'PreDown', PostUp: 'PostDown' };

/** The key as written in any case ("postup") → its canonical name. */
export function hookKeyOf(key: string): HookKey | undefined {
  return hookKeys.find((k) => k.toLowerCase() === key.toLowerCase());
}

/**
 * wg-quick's own shell variables: a hook runs as `(eval "$hook")` inside wg-quick's bash, so it
 * sees them; they are not exported, so a script a hook calls does not.
 */
export const wgEnv: readonly EnvVar[] = [
  {
    name: 'INTERFACE',
    meaning: "wg-quick's variable: the interface name (the config's name without .conf), as %i is. Not exported to scripts a hook calls.",
    mock: 'wg0',
  },
  {
    name: 'CONFIG_FILE',
    meaning: "wg-quick's variable: the path of the config file it read. Not exported to scripts a hook calls.",
    mock: '/etc/wireguard/wg0.conf',
  },
  {
    name: 'ADDRESSES',
    meaning: "wg-quick's array of the config's Address values. Not exported to scripts a hook calls.",
    mock: '10.99.0.1/24',
  },
  { name: 'MTU', meaning: "wg-quick's variable: the config's MTU (empty when not set). Not exported.", mock: '' },
  { name: 'TABLE', meaning: "wg-quick's variable: the config's Table (empty when not set). Not exported.", mock: '' },
  { name: 'DNS', meaning: "wg-quick's array of the config's DNS servers. Not exported.", mock: '' },
];

const hookSpec = (name: HookKey, description: string): HookSpec => ({
  name,
  description,
  runModel: 'evaluated',
  runBy: [keyEvent[name]],
  env: wgEnv,
  exitStatus:
    keyEvent[name] === 'up'
      ? 'non-zero aborts wg-quick up: the interface is deleted again and no later hook runs'
      : name === 'PreDown'
        ? 'non-zero aborts wg-quick down before the interface is deleted: it stays up'
        : 'non-zero aborts wg-quick down: the PostDown hooks after it do not run',
});

export const preUp = hookSpec('PreUp', 'Run by wg-quick up after it creates the interface, before it configures it (no address yet).');
export const postUp = hookSpec('PostUp', 'Run by wg-quick up once the interface has its addresses, MTU, DNS and routes.');
export const preDown = hookSpec('PreDown', 'Run by wg-quick down before it deletes the interface.');
export const postDown = hookSpec('PostDown', 'Run by wg-quick down after the interface is deleted (so commands naming it fail).');

/** A script file a hook line runs (PostUp = /etc/wireguard/nat.sh %i): exec'd by the hook's bash, as root. */
export const hookScript: HookSpec = {
  name: 'hook script',
  description: 'A script a PreUp/PostUp/PreDown/PostDown line of a wg-quick config runs, with the arguments written there.',
  runModel: 'executable',
  runBy: ['up', 'down'],
  env: [],
  exitStatus: 'non-zero fails its hook line, which aborts wg-quick (set -e)',
};

export const wgHooks: readonly HookSpec[] = [preUp, postUp, preDown, postDown, hookScript];

export function specOf(key: HookKey): HookSpec {
  return { PreUp: preUp, PostUp: postUp, PreDown: preDown, PostDown: postDown }[key];
}
