import { Finding, finding, withFix } from '../diagnostics';
import { localName, XmlElement } from '../xml/model';
import { childSpec, ElementSpec, profileRoot } from './schema';
import { ElementHead, ElementTexts } from './validate';
import { valueSpan } from './valueSpan';

/** Where scripts are looked up: the folders searched, in order, and a lookup by file name. */
export interface ScriptFolders {
  readonly folders: readonly string[];
  /** The folder holding `name`, or undefined. */
  find(name: string): string | undefined;
}

/** An element of <ClientInitialization> that names a script, and the event it runs on. */
export interface ScriptRef {
  readonly element: ElementHead & ElementTexts;
  readonly event: ScriptEvent;
}

type ScriptEvent = 'OnConnect' | 'OnDisconnect';

/** Checks OnConnectScript / OnDisconnectScript values: name, containment, existence, EnableScripting. */
export function checkScriptReferences(
  root: XmlElement,
  text: string,
  folders: ScriptFolders | undefined,
  report: (f: Finding) => void,
): void {
  const ci = root.children.find((c) => isClientInitialization(c.name));
  const refs: ScriptRef[] = [];
  for (const child of ci?.children ?? []) {
    const event = scriptEvent(child.name);
    if (event) refs.push({ element: child, event });
  }
  const enable = ci?.children.find((c) => isEnableScripting(c.name));
  reportScriptRefs(refs, enable, text, folders, report);
}

/** The first child of the root so named holds the scripts. */
export function isClientInitialization(name: string): boolean {
  return localName(name) === 'ClientInitialization';
}

/** The first child of <ClientInitialization> so named turns scripts off. */
export function isEnableScripting(name: string): boolean {
  return localName(name) === 'EnableScripting';
}

const ciSpec = childSpec(profileRoot, 'ClientInitialization') as ElementSpec;

/** The event a child of <ClientInitialization> named `name` runs a script on, if it names one. */
export function scriptEvent(name: string): ScriptEvent | undefined {
  const value = childSpec(ciSpec, localName(name))?.value;
  return value?.kind === 'script' ? value.event : undefined;
}

/** The findings on `refs`, in their order; `enable` is <EnableScripting>, if there is one. */
export function reportScriptRefs(
  refs: readonly ScriptRef[],
  enable: ElementTexts | undefined,
  text: string,
  folders: ScriptFolders | undefined,
  report: (f: Finding) => void,
): void {
  if (!refs.length) return;
  const disabled = enable !== undefined && valueSpan(enable, text).value === 'false';
  for (const ref of refs) {
    const span = valueSpan(ref.element, text);
    if (span.value === '') continue; // reported as a missing value by the schema check
    const problem = nameProblem(span.value, ref.event);
    if (problem) report(finding(problem.code, span.start, span.end, problem.message));
    if (problem?.code !== 'HS302' && folders && !folders.find(span.value)) {
      const f = finding(
        'HS304',
        span.start,
        span.end,
        `${span.value} is not in the script folder (looked in: ${folders.folders.join(', ')}).`,
      );
      report(withFix(f, { kind: 'create-script', name: span.value, event: ref.event }));
    }
    if (disabled) {
      report(finding('HS305', ref.element.start + 1, ref.element.nameEnd, `<EnableScripting> is false, so ${span.value} never runs.`));
    }
  }
}

interface NameProblem {
  readonly code: 'HS301' | 'HS302' | 'HS303';
  readonly message: string;
}

/** What is wrong with a script reference's file name, judged against its event. */
export function nameProblem(name: string, event: 'OnConnect' | 'OnDisconnect'): NameProblem | undefined {
  if (/[\\/]/.test(name) || name === '..' || /^[A-Za-z]:/.test(name) || name.startsWith('~')) {
    return { code: 'HS302', message: `"${name}" is a path; give only a file name, and keep the script inside the script folder.` };
  }
  const other = event === 'OnConnect' ? 'OnDisconnect' : 'OnConnect';
  if (name.toLowerCase().startsWith(other.toLowerCase())) {
    return {
      code: 'HS301',
      message: `${name} is named for ${other}, but this element runs it on ${event === 'OnConnect' ? 'connect' : 'disconnect'}.`,
    };
  }
  if (new RegExp(`^${event}_[^.\\s]+(\\.[^.\\s]+)*\\.[A-Za-z0-9]+$`).test(name)) return undefined;
  return { code: 'HS303', message: `${name} should be named ${event}_<name>.<ext> (${conventionHint(name, event)}).` };
}

function conventionHint(name: string, event: string): string {
  if (!name.toLowerCase().startsWith(event.toLowerCase())) return `it must start with ${event}`;
  if (!name.startsWith(event)) return `the prefix is written ${event}, and Cisco's client matches it exactly`;
  if (name[event.length] !== '_') return `an underscore follows ${event}`;
  return 'it needs a name and an extension, such as .sh or .vbs';
}
