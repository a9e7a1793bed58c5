import { Finding, finding } from '../diagnostics';
import { refusal, SpecialKind } from '../files/readFile';

/** HS114: a hook's name on something that is not a regular file (a link to /dev/zero, a FIFO, a folder); it was not read. */
export function notRegular(name: string, what: SpecialKind): Finding {
  return finding('HS114', 0, 0, refusal(name, what));
}
