import { FuzzTarget } from '../harness';
import { cliArgsTarget } from './cliArgs';
import { hookNamesTarget } from './hookNames';
import { hostileWorkspaceTarget } from './hostileWorkspace';
import { ocservConfigTarget, ocservScriptTarget } from './ocserv';
import { profileTarget } from './profile';
import { shellContentTarget } from './shellContent';
import { vpncScriptTarget } from './vpncScript';
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
  nmDispatcherTarget,
];
