// Why the sandbox could not start, and how to allow it: from the kernel's switches and from what
// bwrap or unshare said, as they say it under AppArmor's restriction of unprivileged user
// namespaces (Ubuntu 23.10 and later), under kernel.unprivileged_userns_clone=0, and elsewhere.
import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { namespaceAdvice } from '../../../../server/src/simulate/sandbox/detect';

const bwrapUnderAppArmor = 'bwrap: setting up uid map: Permission denied\n';
const unshareUnderAppArmor = 'unshare: write failed /proc/self/uid_map: Operation not permitted\n';

suite('sandbox start-up advice', () => {
  test("AppArmor's switch on: the message names the restriction and both ways to allow it, and --isolation shims", () => {
    for (const output of [bwrapUnderAppArmor, unshareUnderAppArmor, '']) {
      const advice = namespaceAdvice(output, { apparmorRestricts: true });
      assert.match(advice, /^AppArmor restricts unprivileged user namespaces on this machine \(Ubuntu 23\.10 and later\)/);
      assert.match(advice, /\/etc\/apparmor\.d\/bwrap-userns-restrict/);
      assert.match(advice, /sudo sysctl kernel\.apparmor_restrict_unprivileged_userns=0/);
      assert.match(advice, /--isolation shims/);
    }
  });

  test(
    'the switch unreadable (a container), but bwrap or unshare refused the uid map as AppArmor makes them: AppArmor ' +
      'is named as the likely cause',
    () => {
      for (const output of [bwrapUnderAppArmor, unshareUnderAppArmor]) {
        const advice = namespaceAdvice(output, {});
        assert.match(
          advice,
          /given no rights over its own user ids, which is what AppArmor's restriction of unprivileged user namespaces does/,
          output,
        );
        assert.match(advice, /kernel\.apparmor_restrict_unprivileged_userns=0/);
      }
    },
  );

  test("unprivileged_userns_clone=0 and any other refusal get their own advice, not AppArmor's", () => {
    assert.match(
      namespaceAdvice('bwrap: No permissions to creating new namespace', { usernsCloneOff: true }),
      /kernel\.unprivileged_userns_clone=1/,
    );
    const other = namespaceAdvice('unshare: unshare failed: Operation not permitted', {});
    assert.doesNotMatch(other, /AppArmor/);
    assert.match(other, /a container may forbid them\); otherwise run with --isolation shims/);
  });
});
