import * as assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { recognizeHook } from '../../../server/src/families/registry';
import { globMatches } from '../../../server/src/globs/compiledGlob';
import { braceExpansions, globProblem, refusedPatterns } from '../../../server/src/globs/globProblem';

suite('glob patterns from settings', () => {
  test('brace expansion is counted without expanding: groups multiply, alternatives add, ranges count, lone braces are literal', () => {
    assert.equal(braceExpansions('**/hooks'), 1);
    assert.equal(braceExpansions('{a,b}'), 2);
    assert.equal(braceExpansions('{a,b}{c,d,e}'), 6);
    assert.equal(braceExpansions('{a,{b,c}x{d,e}}'), 5);
    assert.equal(braceExpansions('{1..100}'), 100);
    assert.equal(braceExpansions('{a..z}/{0..10..2}'), 26 * 6);
    assert.equal(braceExpansions('{a}'), 1);
    assert.equal(braceExpansions('\\{a,b\\}'), 1);
    assert.equal(braceExpansions('{a,b'), 1);
    assert.equal(braceExpansions('{a,b}'.repeat(25)), 2 ** 25);
    assert.equal(braceExpansions('{a,b}'.repeat(400)), 1e9, 'saturates instead of overflowing');
  });

  test('patterns over the caps are refused with the reason, and match nothing', () => {
    assert.equal(globProblem('**/vpn/{a,b}/*.sh'), undefined);
    assert.match(globProblem('{a,b}'.repeat(25)) ?? '', /^its braces expand to 33,554,432 patterns; at most 256 are accepted\.$/);
    assert.match(globProblem(`${'a'.repeat(600)}`) ?? '', /^the pattern is 600 characters long; at most 512 are accepted\.$/);
    assert.equal(globMatches('{a,b}'.repeat(25), 'ab'.repeat(12) + 'a'), false);
    assert.equal(globMatches('**/vpn/{a,b}/*.sh', '/w/vpn/b/x.sh'), true);
  });

  test('a brace bomb in hooks.families is ignored: the file is recognised as without it', () => {
    const bomb = { ['{a,b}'.repeat(25)]: 'shorewall', ['**/' + '{a,b}'.repeat(25)]: 'shorewall' };
    for (let i = 0; i < 50; i++) assert.equal(recognizeHook(`/w/vpn/OnConnect_${i}.sh`, [], bomb)?.family.id, 'anyconnect');
  });

  test('the warnings name the setting and the pattern, shortened', () => {
    const messages = refusedPatterns({
      hooks: { families: { ['{a,b}'.repeat(25)]: 'shorewall', '**/fw': 'shorewall' } },
      profile: { files: ['*.xml', 'x'.repeat(700)] },
    });
    assert.equal(messages.length, 2);
    assert.match(
      messages[0],
      new RegExp(
        String.raw`^Hooksmith: a pattern in hooksmith\.hooks\.families is ignored: its braces expand ` +
          String.raw`to 33,554,432 patterns; at most 256 are accepted\. \(pattern: \{a,b\}.{75}\.\.\.\)$`,
      ),
    );
    assert.match(messages[1], /^Hooksmith: a pattern in hooksmith\.profile\.files is ignored: the pattern is 700 characters long/);
  });
});
