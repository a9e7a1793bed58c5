import { shortRun } from './shortRun';
import { openvpnConfigTarget, openvpnScriptTarget } from './targets/openvpn';

shortRun(openvpnConfigTarget, 1819);
shortRun(openvpnScriptTarget, 1820);
