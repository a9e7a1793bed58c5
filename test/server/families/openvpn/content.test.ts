import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { openvpn } from '../../../../server/src/families/openvpn';
import { contentFindings } from '../../../../server/src/families/openvpn/content';
import { hookOf } from '../../../../server/src/families/openvpn/hooks';
import { hookFile, needsShellParser } from '../../../helpers/hooks';
import { costGrowth } from '../../../helpers/scaling';

needsShellParser();

const lint = (source: string) =>
  contentFindings(hookFile({ path: '/srv/openvpn/auth.sh', source }), { family: openvpn, hook: hookOf('auth-user-pass-verify') });

test('HS620 after a `[[` test run on into a long pipeline: the same cost per character at 32 KB as at 2 KB (was quadratic)', () => {
  // Each `|` nests the test in one more binary expression: the fuzzer's slow input (seed 1991278394).
  const text = (size: number) =>
    `#!/bin/bash\n[[ $script_type == x${' | t'.repeat(size / 4)} ]]\n` +
    'if [ "$script_type" = auth-user-pass-verify ]; then exit 0; fi\nexit 1\n';
  const big = text(32_000);
  const hs620 = lint(big).filter((f) => f.code === 'HS620');
  assert.deepEqual(
    hs620.map((f) => big.slice(f.start, f.end)),
    ['auth-user-pass-verify'],
  );
  const growth = costGrowth((size) => void lint(text(size)), 2_000, 32_000, 128_000);
  assert.ok(growth < 4, `one character costs ${growth.toFixed(1)} times as much at 32 KB as at 2 KB`);
});
