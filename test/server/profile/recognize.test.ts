import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeProfile } from '../../../server/src/profile/recognize';

test('a profile is recognised by its root element after any prolog', () => {
  assert.equal(looksLikeProfile('<AnyConnectProfile/>'), true);
  assert.equal(looksLikeProfile('\uFEFF<?xml version="1.0"?>\r\n<!-- generated -->\n<AnyConnectProfile xmlns="x">'), true);
  assert.equal(looksLikeProfile('<!DOCTYPE a [<!ENTITY b "c">]>\n<ac:AnyConnectProfile>'), true);
  assert.equal(looksLikeProfile('<?xml version="1.0"?><project><AnyConnectProfile/></project>'), false);
  assert.equal(looksLikeProfile('<AnyConnectProfiles/>'), false);
  assert.equal(looksLikeProfile(''), false);
});
