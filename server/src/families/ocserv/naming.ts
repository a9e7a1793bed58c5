import * as path from 'node:path';
import { Finding } from '../../diagnostics';
import { bomBeforeShebang, isPosix, onFirstLine, writableByOthers } from '../common/fileChecks';
import { HookFile } from '../family';
import { ScriptRoles } from './content';

/** The file itself: ocserv execs it (unless ocserv-fw runs it with /bin/sh), as root. */
export function fileFindings(file: HookFile, roles: ScriptRoles): Finding[] {
  const found: Finding[] = [];
  const name = path.basename(file.path);
  // ocserv-fw runs `/bin/sh script` (no #! or execute bit needed), but never for host-update, which ocserv execs itself.
  const execd = roles.execd;
  const forUpdate = roles.facts?.restricted
    ? ' for host-update (ocserv-fw, which restrictions put in front of connect and disconnect, never runs it)'
    : '';
  if (execd && file.mode !== undefined && isPosix() && (file.mode & 0o111) === 0) {
    found.push(
      onFirstLine(
        file,
        'HS528',
        `${name} is not executable: ocserv execs it directly${forUpdate}, so the exec ` +
          `fails${roles.events.includes('connect') ? ' and every login is refused' : ''}. Run chmod +x ${name}.`,
      ),
    );
  }
  if (execd && (bomBeforeShebang(file) || !file.text.startsWith('#!'))) {
    const why = bomBeforeShebang(file) ? 'a UTF-8 byte-order mark comes before its #! line' : 'it has no #! line';
    found.push(
      onFirstLine(
        file,
        'HS529',
        `ocserv execs this script directly${forUpdate} and ${why}: the exec fails with "Exec format ` +
          `error"${roles.events.includes('connect') ? ', which refuses every login' : ''}. Start it with #!/bin/sh.`,
      ),
    );
  }
  const writable = writableByOthers(file, 'root');
  if (writable) found.push(writable);
  return found;
}
