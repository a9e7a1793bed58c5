import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScriptChoice } from '../../../protocol';
import type { HookEvent } from '../request';
import type { ScriptFolders } from '../../../profile/scripts';
import { ProfileFacts, ScriptEvent } from './profileFacts';
import { isDirectory, linkNote } from '../../../fileKinds';

/**
 * The seed names four events but has two scripts: reconnect and update bring the tunnel (back)
 * up, so they run the OnConnect script.
 */
export const scriptEventOf: Readonly<Record<HookEvent, ScriptEvent>> = {
  connect: 'OnConnect',
  disconnect: 'OnDisconnect',
  reconnect: 'OnConnect',
  update: 'OnConnect',
};

export interface ChoiceContext {
  readonly facts?: ProfileFacts;
  /** The profile's file name, for the report. */
  readonly profileName?: string;
  /** Where scripts are looked up, in order. */
  readonly folders: ScriptFolders;
  /** A file chosen by the user: runs for every event. */
  readonly explicit?: string;
}

export type Choice = { readonly file: string; readonly chosenBy: ScriptChoice } | { readonly skipped: string };

/** Which file runs for an event, and the rule that chose it. */
export function chooseScript(event: HookEvent, ctx: ChoiceContext): Choice {
  if (ctx.explicit)
    return {
      file: path.resolve(ctx.explicit),
      chosenBy: { rule: 'explicit', detail: `${path.basename(ctx.explicit)} was chosen to run.` },
    };
  const scriptEvent = scriptEventOf[event];
  const named = ctx.facts?.scripts[scriptEvent];
  return named !== undefined ? byProfileElement(scriptEvent, named, ctx) : byCiscoPrefix(scriptEvent, ctx);
}

/** Seed dialect: the element names a file in the script folder (a name only: no path may leave the folder). */
function byProfileElement(event: ScriptEvent, name: string, ctx: ChoiceContext): Choice {
  const element = `<${event}Script>`;
  const where = ctx.profileName ? ` in ${ctx.profileName}` : '';
  if (name !== path.basename(name) || name === '.' || name === '..' || /[\\/]/.test(name)) {
    return {
      skipped:
        `${element}${where} names "${name}", which is not a plain file name: the executor joins it to the script ` +
        `folder, so it is not run.`,
    };
  }
  const folder = ctx.folders.find(name);
  if (!folder)
    return {
      skipped: `${element}${where} names ${name}, which is not in the script folder (looked in: ${ctx.folders.folders.join(', ')}).`,
    };
  const file = path.join(folder, name);
  return { file, chosenBy: { rule: 'profile-element', detail: `${element}${where} names ${name}${linkNote(file)}.` } };
}

/** Cisco's client: the first file whose name starts with the event's prefix (the extension is ignored). */
function byCiscoPrefix(event: ScriptEvent, ctx: ChoiceContext): Choice {
  for (const folder of ctx.folders.folders) {
    const matches = listFiles(folder).filter((n) => n.startsWith(event));
    if (!matches.length) continue;
    const [first, ...rest] = matches;
    return {
      file: path.join(folder, first),
      chosenBy: {
        rule: 'cisco-prefix',
        detail:
          `Cisco's rule: the first file in ${folder} whose name starts with ${event} is ` +
          `${first}${linkNote(path.join(folder, first))}.`,
        ...(rest.length ? { alsoMatched: rest } : {}),
      },
    };
  }
  return {
    skipped:
      `No ${event}* file in the script folder (looked in: ${ctx.folders.folders.join(', ')}), and no <${event}Script> ` + `in the profile.`,
  };
}

/**
 * The folder's names, sorted, except folders (and links to folders): the real client's order
 * among several matches is unspecified, so the report names the others. Links are followed as
 * everywhere else: a link to a regular file is that file, and a link to a FIFO or a device is
 * chosen as the client would choose it, then not run (preflight says why).
 */
function listFiles(folder: string): string[] {
  try {
    const entries = fs.readdirSync(folder, { withFileTypes: true });
    return entries
      .filter((e) => !e.isDirectory() && !(e.isSymbolicLink() && isDirectory(path.join(folder, e.name))))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
