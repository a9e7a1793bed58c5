// Installs what the tests need from Debian, idempotently: nothing happens when it is already there.
// Runs before `npm test` (pretest) and from .ci/run. Needs root and apt-get to install.
import { spawnSync } from 'node:child_process';
import { has, installMissing } from './apt.mjs';
import { ensureEditors, reportProblems } from './ensure-editors.mjs';

// Emacs 29 has eglot built in; Debian 12's Emacs 28 gets it from elpa-eglot.
const emacsHasEglot = () =>
  spawnSync('emacs', ['--batch', '--no-init-file', '--eval', "(progn (package-initialize) (require 'eglot))"], { stdio: 'ignore' })
    .status === 0;

const packages = [
  { present: () => has('shellcheck'), debian: ['shellcheck'] },
  { present: () => has('nvim'), debian: ['neovim'] },
  { present: () => has('emacs') && emacsHasEglot(), debian: ['emacs-nox', 'elpa-eglot'] },
  // The simulation sandbox (bubblewrap; util-linux unshare is the fallback) and the state it diffs.
  { present: () => has('bwrap'), debian: ['bubblewrap'] },
  { present: () => has('ip'), debian: ['iproute2'] },
  { present: () => has('iptables'), debian: ['iptables'] },
  { present: () => has('nft'), debian: ['nftables'] },
  // `hooksmith test --reporter junit` is checked against the JUnit XML schema with xmllint.
  { present: () => has('xmllint'), debian: ['libxml2-utils'] },
  // Hooks the sandbox tests run inside it (busybox's own applets; ping with no route out).
  { present: () => has('busybox'), debian: ['busybox'] },
  { present: () => has('ping'), debian: ['iputils-ping'] },
  // The newer editors below: their archive's signature, its index, Helix's terminal (script), and
  // the throwaway signing keys of test/scripts/ensureEditors.test.ts.
  { present: () => has('gpgv'), debian: ['gpgv'] },
  { present: () => has('xz'), debian: ['xz-utils'] },
  { present: () => has('script'), debian: ['bsdutils'] },
  { present: () => has('gpg'), debian: ['gpg'] },
];

installMissing(packages, 'the tests');

// Neovim 0.10 and 0.12 and Helix, newer than Debian 12 has, unpacked from Debian's archive into .cache/.
// A failed download is reported loudly here and fails those editors' tests (not the whole run).
reportProblems(await ensureEditors());
