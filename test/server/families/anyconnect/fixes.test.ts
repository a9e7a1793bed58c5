import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { insertionOffset } from '../../../../server/src/families/anyconnect/fixes';

/** The text with `|` where the undo line goes. */
const at = (text: string): string => `${text.slice(0, insertionOffset(text))}|${text.slice(insertionOffset(text))}`;

suite('where the undo line goes in an OnDisconnect hook', () => {
  test('before a last exit or exit 0, else at the end', () => {
    assert.equal(at('#!/bin/sh\nlogger down\nexit 0\n'), '#!/bin/sh\nlogger down\n|exit 0\n');
    assert.equal(at('#!/bin/sh\nlogger down\n  exit   # done\n\n'), '#!/bin/sh\nlogger down\n|  exit   # done\n\n');
    assert.equal(at('#!/bin/sh\r\nlogger down\r\nexit 0\r\n'), '#!/bin/sh\r\nlogger down\r\n|exit 0\r\n');
    assert.equal(at('#!/bin/sh\nlogger down\n'), '#!/bin/sh\nlogger down\n|');
    assert.equal(at('#!/bin/sh\nexit 1\n'), '#!/bin/sh\nexit 1\n|', 'a failure status is not the normal end');
    assert.equal(at('#!/bin/sh\nexit 0\nlogger after\n'), '#!/bin/sh\nexit 0\nlogger after\n|');
  });
});
