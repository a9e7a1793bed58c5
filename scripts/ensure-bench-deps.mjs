// Installs what `npm run bench` compares against or runs, idempotently: nothing happens when it is
// already there. Runs before the bench's rows. Needs root and apt-get to install.
import { has, installMissing } from './apt.mjs';

installMissing(
  [
    // The large profile's baseline: libxml2's xmllint --schema.
    { present: () => has('xmllint'), debian: ['libxml2-utils'] },
    // The small hook's baseline, and what `hooksmith lint` runs on hooks.
    { present: () => has('shellcheck'), debian: ['shellcheck'] },
    // The sandbox rows.
    { present: () => has('bwrap'), debian: ['bubblewrap'] },
  ],
  'the benchmark',
);
