import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { families } from '../../../server/src/families/registry';
import { hookFileOnDisk, lintHook } from '../../../server/src/hooks/lintHook';
import { wireConfigsIn } from '../../helpers/configs';
import { describe } from '../../helpers/findings';
import { needsShellParser } from '../../helpers/hooks';

needsShellParser();

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/hooks');

test('realistic, correct hooks of every family raise nothing', () => {
  let linted = 0;
  for (const family of families.map((f) => f.id)) {
    const configs = wireConfigsIn(path.join(fixtures, family));
    for (const name of fs.readdirSync(path.join(fixtures, family))) {
      const file = path.join(fixtures, family, name);
      const plain = lintHook(hookFileOnDisk(file));
      if (name === 'shorewall.conf' || configs.has(name)) {
        assert.equal(plain, undefined, 'shorewall.conf is configuration, not a hook');
        continue;
      }
      // A family recognised by its folder layout (NetworkManager/dispatcher.d) has its fixtures mapped to it, as a user maps a folder.
      const result = plain ?? lintHook(hookFileOnDisk(file), { [path.join(fixtures, family)]: family });
      assert.ok(result, `${name} is recognised`);
      assert.equal(result.recognized.family.id, family);
      assert.deepEqual(result.findings, [], `${name}: ${describe(result.findings)}`);
      linted++;
    }
  }
  assert.equal(linted, 17);
});

test('a file that no family knows is not a hook', () => {
  assert.equal(lintHook(hookFileOnDisk(path.join(fixtures, '../profiles/minimal.xml'))), undefined);
});
