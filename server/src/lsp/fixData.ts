import { FixData } from '../diagnostics';

/**
 * Diagnostic.data comes back from the client: trust its shape only after checking it.
 * Names must be plain file names and commands single lines, whatever the data says.
 */
export function readFixData(data: unknown): FixData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  switch (d.kind) {
    case 'rename':
      return isFileName(d.to) ? { kind: 'rename', to: d.to } : undefined;
    case 'remove-bom':
    case 'chmod-go-w':
    case 'add-default-branch':
      return { kind: d.kind };
    case 'replace':
      // Words, values like IPv4,IPv6, the profile's namespace URL, and wg-quick's %i.
      return typeof d.with === 'string' && /^[\w,.:/%-]+$/.test(d.with) ? { kind: 'replace', with: d.with } : undefined;
    case 'rename-element':
      return isXmlName(d.to) ? { kind: 'rename-element', to: d.to } : undefined;
    case 'move-into':
      return isXmlName(d.parent) ? { kind: 'move-into', parent: d.parent } : undefined;
    case 'undo':
      return isCommandLine(d.command) && d.event === 'OnDisconnect' ? { kind: 'undo', command: d.command, event: d.event } : undefined;
    case 'create-script':
      return isFileName(d.name) && (d.event === 'OnConnect' || d.event === 'OnDisconnect')
        ? { kind: 'create-script', name: d.name, event: d.event }
        : undefined;
    default:
      return undefined;
  }
}

/** One name inside a folder: no separator, no parent, no line break, within NAME_MAX. */
export function isFileName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && name.length <= 255 && !/[/\\\0\r\n]/.test(name);
}

function isXmlName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 200 && /^[A-Za-z_][\w.:-]*$/.test(name);
}

export function isCommandLine(command: unknown): command is string {
  return typeof command === 'string' && command.trim() !== '' && !/[\r\n\0]/.test(command);
}
