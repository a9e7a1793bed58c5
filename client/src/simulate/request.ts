/**
 * Requests as the client completes them with the user's hooksmith.simulate.* settings (the rule is
 * shared with the server). Pure: no `vscode` import, unit-tested in Node. Task definitions are read
 * by the server (serverCommands.taskRequest), which knows the families.
 */
import { withDefaults } from '../../../server/src/protocol';
import type { SimulateSettings } from '../../../server/src/protocol';

export type { SimulateSettings };

/** The settings fill what the request leaves out; the request's own fields (and env keys) win. */
export const withSettings = withDefaults;
