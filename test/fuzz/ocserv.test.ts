import { shortRun } from './shortRun';
import { ocservConfigTarget, ocservScriptTarget } from './targets/ocserv';

shortRun(ocservConfigTarget, 1717);
shortRun(ocservScriptTarget, 1718);
