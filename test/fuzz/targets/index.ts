import { FuzzTarget } from '../harness';
import { cliArgsTarget } from './cliArgs';
import { hookNamesTarget } from './hookNames';
import { hostileWorkspaceTarget } from './hostileWorkspace';
import { ocservConfigTarget, ocservScriptTarget } from './ocserv';
import { openvpnConfigTarget, openvpnScriptTarget } from './openvpn';
import { profileTarget } from './profile';
import { shellContentTarget } from './shellContent';
import { vpncScriptTarget } from './vpncScript';
import { wgQuickTarget } from './wgQuick';
import { nmDispatcherTarget } from './nmDispatcher';

/** Every fuzz target, in the order the long run reports them. */
export const targets: readonly FuzzTarget<unknown>[] = [
  profileTarget,
  hookNamesTarget,
  shellContentTarget,
  vpncScriptTarget,
  cliArgsTarget,
  hostileWorkspaceTarget,
  ocservConfigTarget,
  ocservScriptTarget,
  openvpnConfigTarget,
  openvpnScriptTarget,
  wgQuickTarget,
  nmDispatcherTarget,
];
