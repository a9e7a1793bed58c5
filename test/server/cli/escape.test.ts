import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControls } from '../../../server/src/cli/escape';

test('control characters become visible escapes; printable text, accents and backslashes stay as they are', () => {
  assert.equal(escapeControls('vpn/OnConnect_\u001b]0;title\u0007.sh'), 'vpn/OnConnect_\\x1b]0;title\\x07.sh');
  assert.equal(escapeControls('a\nb\rc\td\u007f\u009b'), 'a\\nb\\rc\\td\\x7f\\x9b');
  assert.equal(escapeControls('evil\u202etxt.sh\u2028'), 'evil\\u202etxt.sh\\u2028');
  assert.equal(escapeControls('été C:\\hooks\\OnConnect.bat'), 'été C:\\hooks\\OnConnect.bat');
});
