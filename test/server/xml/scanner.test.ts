import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe as suite, test } from 'node:test';
import { scanXml } from '../../../server/src/xml/scanner';
import { assertOneAt, codes, describe } from '../../helpers/findings';
import { marked } from '../../helpers/marked';
import { costGrowth } from '../../helpers/scaling';

function scan(source: string) {
  return scanXml(marked(source).text);
}

suite('scanner: tree and positions', () => {
  test('builds elements with name, attribute and text offsets', () => {
    const { text } = marked('<a x="1"><b>hi</b></a>');
    const doc = scanXml(text);
    assert.equal(doc.problems.length, 0, describe(doc.problems));
    const a = doc.root!;
    assert.equal(a.name, 'a');
    assert.equal(text.slice(a.start + 1, a.nameEnd), 'a');
    const x = a.attributes[0];
    assert.equal(text.slice(x.nameStart, x.nameEnd), 'x');
    assert.equal(text.slice(x.valueStart, x.valueEnd), '1');
    const b = a.children[0];
    assert.equal(text.slice(b.texts[0].start, b.texts[0].end), 'hi');
    assert.equal(text.slice(b.start, b.end), '<b>hi</b>');
    assert.equal(a.end, text.length);
  });

  test('names that start alike are each read whole: a longer or shorter one, at the end of the text, with non-ASCII letters', () => {
    // HostName, HostNameX, HostNames and HostNote share the characters names are first looked up by.
    const names = ['HostName', 'HostNames', 'HostName', 'HostNote', 'HostNameX', 'HostN\u00e9', 'HostName', 'H', 'Ho', 'HostNa'];
    const text = `<r>${names.map((n) => `<${n} HostName="1" HostNames="2"/><${n}>t</${n}>`).join('')}</r><HostNam`;
    const doc = scanXml(text);
    const elements = doc.roots[0].children;
    assert.deepEqual(
      elements.map((e) => e.name),
      names.flatMap((n) => [n, n]),
    );
    for (const e of elements) {
      assert.equal(text.slice(e.start + 1, e.nameEnd), e.name);
      assert.equal(e.closed, true, e.name);
    }
    for (const e of elements.filter((_, i) => i % 2 === 0))
      assert.deepEqual(
        e.attributes.map((a) => [a.name, text.slice(a.nameStart, a.nameEnd)]),
        [
          ['HostName', 'HostName'],
          ['HostNames', 'HostNames'],
        ],
      );
    assert.equal(doc.roots[1].name, 'HostNam');
    assert.deepEqual(codes(doc.problems), ['HS105', 'HS103']); // the cut-off tag, and a second root
  });

  test('decodes predefined, numeric and declared entities in text and attributes', () => {
    const doc = scanXml('<!DOCTYPE a [<!ENTITY co "Example Corp">]><a t="&lt;&#65;&#x42;">&co; &amp; more</a>');
    assert.equal(doc.problems.length, 0, describe(doc.problems));
    assert.equal(doc.root!.attributes[0].value, '<AB');
    assert.equal(doc.root!.texts[0].value, 'Example Corp & more');
  });

  test('keeps CDATA text verbatim', () => {
    const doc = scanXml('<a><![CDATA[x < y & z]]></a>');
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.root!.texts[0].value, 'x < y & z');
  });

  test("an element's runs of text come in document order, around children, with references and CDATA", () => {
    const text = '<a>one<b>x</b>t&amp;wo<![CDATA[<three>]]>four</a>';
    const doc = scanXml(text);
    assert.equal(doc.problems.length, 0, describe(doc.problems));
    const runs = doc.root!.texts.map((t) => [t.value, text.slice(t.start, t.end)]);
    assert.deepEqual(runs, [
      ['one', 'one'],
      ['t&wo', 't&amp;wo'],
      ['<three>', '<three>'],
      ['four', 'four'],
    ]);
    assert.deepEqual(
      doc.root!.children[0].texts.map((t) => t.value),
      ['x'],
    );
    assert.deepEqual(scanXml('<a><b/></a>').root!.texts, []);
  });

  test('skips a byte-order mark and accepts the XML declaration after it', () => {
    const doc = scanXml('\uFEFF<?xml version="1.0"?>\r\n<a/>');
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.root!.start, 24);
  });
});

suite('scanner: the usual tags and runs of text, read on their short paths, end where the long ones did', () => {
  test("an end tag is closed at its '>' whether or not white space, a longer name or the end of the text follows the name", () => {
    const text = '<r><b>1</b><b>2</b >\r\n<b>3</b\r\n><bc>4</bc><b>5</b>';
    const doc = scanXml(text);
    assert.deepEqual(codes(doc.problems), ['HS101']); // <r> only
    assert.deepEqual(
      doc.root!.children.map((e) => [e.name, text.slice(e.start, e.end), e.closed]),
      [
        ['b', '<b>1</b>', true],
        ['b', '<b>2</b >', true],
        ['b', '<b>3</b\r\n>', true],
        ['bc', '<bc>4</bc>', true],
        ['b', '<b>5</b>', true],
      ],
    );
    assert.equal(doc.root!.end, text.length); // <r>, forced closed at the end of the text
  });

  test('an end tag whose name only starts like the open one, or is the start of it, does not close it', () => {
    const source = '<r><b>x</«bb»></r><s><ab>y</«a»></ab></s>';
    const doc = scan(source);
    assert.deepEqual(codes(doc.problems), ['HS102', 'HS101', 'HS103', 'HS102']);
    const { spans } = marked(source);
    assert.deepEqual(
      doc.problems.filter((p) => p.code === 'HS102').map((p) => ({ start: p.start, end: p.end })),
      spans,
    );
    // <b> is forced closed by </r>, where that end tag starts
    const { text } = marked(source);
    assert.equal(doc.roots[0].children[0].end, text.indexOf('</r>'));
    assert.equal(doc.roots[0].children[0].closed, false);
  });

  test('an end tag cut off by the end of the text, or by the next tag, is reported and still closes its element', () => {
    const source = '<r><b>x</«b»<c>y</«c»';
    const doc = scan(source);
    assert.deepEqual(codes(doc.problems), ['HS105', 'HS105', 'HS101']);
    const { text } = marked(source);
    assert.deepEqual(
      doc.root!.children.map((e) => [e.name, e.closed, text.slice(e.start, e.end)]),
      [
        ['b', true, '<b>x</b'],
        ['c', true, '<c>y</c'],
      ],
    );
  });

  test("runs with and without '&' and ']' in any order: each decoded, each ']]>' found, in the run it is in", () => {
    const source = '<r><a>one</a><b>t&amp;u</b><c>x«]]>»y</c><d>]</d><e>&lt;</e><f>p]a]i]n</f><g>a]«]]>»&amp;</g><h>last</h></r>';
    const doc = scan(source);
    const { text, spans } = marked(source);
    assert.deepEqual(
      doc.problems.map((p) => [p.code, p.start, p.end]),
      spans.map((s) => ['HS100', s.start, s.end]),
    );
    assert.deepEqual(
      doc.root!.children.map((e) => e.texts.map((t) => [t.value, text.slice(t.start, t.end)])),
      [
        [['one', 'one']],
        [['t&u', 't&amp;u']],
        [['x]]>y', 'x]]>y']],
        [[']', ']']],
        [['<', '&lt;']],
        [['p]a]i]n', 'p]a]i]n']],
        [['a]]]>&', 'a]]]>&amp;']],
        [['last', 'last']],
      ],
    );
  });

  test('runs of white space only (CR, LF, tab, space) make no text; a run that has more keeps its white space', () => {
    const text = '\uFEFF<r>\r\n\t <a> \t</a>\r\n<b>\r\n\t x \n</b>\n</r>\n\t «y» \r\n';
    const doc = scanXml(marked(text).text);
    const clean = marked(text).text;
    assert.deepEqual(doc.root!.texts, []);
    assert.deepEqual(doc.root!.children[0].texts, []);
    const [b] = doc.root!.children[1].texts;
    assert.equal(b.value, '\r\n\t x \n');
    assert.equal(clean.slice(b.start, b.end), '\r\n\t x \n');
    assertOneAt(doc.problems, 'HS104', text); // text after the root: from its first character that is not white space
  });

  test('names and text with characters outside ASCII, and after them: offsets in UTF-16 units', () => {
    const text = '<r><é>ü😀</é><a>😀x</a><b\u00e9ta>z</b\u00e9ta></r>';
    const doc = scanXml(text);
    assert.deepEqual(doc.problems, []);
    assert.deepEqual(
      doc.root!.children.map((e) => [e.name, text.slice(e.start, e.end), text.slice(e.texts[0].start, e.texts[0].end)]),
      [
        ['é', '<é>ü😀</é>', 'ü😀'],
        ['a', '<a>😀x</a>', '😀x'],
        ['b\u00e9ta', '<b\u00e9ta>z</b\u00e9ta>', 'z'],
      ],
    );
  });
});

suite('scanner: well-formedness, every problem at its place', () => {
  test('HS101: an element never closed, on its name', () => {
    const source = '<a>\n  <«b»>\n</a>';
    assertOneAt(scan(source).problems, 'HS101', source);
  });

  test('HS101 at the end of the text for the root left open', () => {
    const source = '<«a»><b/>';
    assertOneAt(scan(source).problems, 'HS101', source);
  });

  test('HS102: a closing tag with no start tag, on its name', () => {
    const source = '<a><b></b></«c»></a>';
    assertOneAt(scan(source).problems, 'HS102', source);
  });

  test('HS103: a second root element is an error (fast-xml-parser accepts it)', () => {
    const source = '<a></a>\n<«b»/>';
    const doc = scan(source);
    assertOneAt(doc.problems, 'HS103', source);
    assert.equal(doc.root!.name, 'a');
    assert.equal(doc.roots.length, 2);
  });

  test('HS104: text after the root, trimmed to the text', () => {
    const source = '<a/>\n  «junk here»  \n';
    assertOneAt(scan(source).problems, 'HS104', source);
  });

  test('HS104: text before the root', () => {
    const source = '«hello»<a/>';
    assertOneAt(scan(source).problems, 'HS104', source);
  });

  test('HS105: attribute without a value, on the attribute name', () => {
    const source = '<a «x»/>';
    assertOneAt(scan(source).problems, 'HS105', source);
  });

  test('HS105: unquoted attribute value', () => {
    const source = '<a «x»=1/>';
    assertOneAt(scan(source).problems, 'HS105', source);
  });

  test('HS105: repeated attribute, on the second one', () => {
    const source = '<a x="1" «x»="2"/>';
    assertOneAt(scan(source).problems, 'HS105', source);
  });

  test('HS105: a start tag cut off by the next tag, and the scan recovers', () => {
    const source = '<a><«b»\n<c/></a>';
    const doc = scan(source);
    assertOneAt(doc.problems, 'HS105', source);
    assert.deepEqual(
      doc.root!.children.map((c) => c.name),
      ['b', 'c'],
    );
  });

  test('HS106: undefined entity, on the reference', () => {
    const source = '<a>x «&nope;» y</a>';
    assertOneAt(scan(source).problems, 'HS106', source);
  });

  test('HS106: a bare ampersand', () => {
    const source = '<a>Smith «&» Sons</a>';
    assertOneAt(scan(source).problems, 'HS106', source);
  });

  test('HS106: a character reference to a character XML forbids', () => {
    const source = '<a>«&#0;»</a>';
    assertOneAt(scan(source).problems, 'HS106', source);
  });

  test('HS107: an external (SYSTEM) entity is reported once and never read', () => {
    const source = '<!DOCTYPE a [<!ENTITY x «SYSTEM» "file:///etc/passwd">]><a>&x;&x;</a>';
    const doc = scan(source);
    assertOneAt(doc.problems, 'HS107', source);
    assert.equal(doc.root!.texts[0].value, '');
  });

  test('HS108: billion laughs gets one diagnostic and expands nothing further', () => {
    const laughs = (depth: number): string => {
      const decls = ['<!ENTITY lol "lol">'];
      for (let i = 1; i <= depth; i++) decls.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`);
      return `<!DOCTYPE lolz [${decls.join('')}]><lolz>&lol${depth};</lolz>`;
    };
    const doc = scanXml(laughs(9));
    // Each level multiplies the full expansion by 10: bounded, nine levels cost about what three do.
    const growth = costGrowth((depth) => void scanXml(laughs(depth)), 3, 9, 9);
    assert.ok(growth < 4, `a level costs ${growth.toFixed(1)} times as much at nine levels as at three: the expansion is not bounded`);
    assert.deepEqual(codes(doc.problems), ['HS108']);
    assert.ok(doc.root!.texts[0].value.length <= 10_000);
  });

  test('HS108: too many ENTITY declarations are reported once', () => {
    const decls = Array.from({ length: 300 }, (_, i) => `<!ENTITY e${i} "x">`).join('');
    assert.deepEqual(codes(scanXml(`<!DOCTYPE a [${decls}]><a/>`).problems), ['HS108']);
  });

  test('HS109: nesting deeper than the limit gets one diagnostic and stops', () => {
    const text = '<a>'.repeat(5000) + '</a>'.repeat(5000);
    const doc = scanXml(text);
    assert.deepEqual(codes(doc.problems), ['HS109']);
    const at = doc.problems[0].start;
    assert.equal(at, 100 * 3, 'reported at the 101st element');
  });

  test('HS112: a document without any element', () => {
    assert.deepEqual(codes(scanXml('  <!-- just a comment -->\n').problems), ['HS112']);
    assert.deepEqual(codes(scanXml('').problems), ['HS112']);
  });

  test('HS100: a late XML declaration, a bad comment, a stray <', () => {
    const source = '<a>\n«<?xml» version="1.0"?>\n<!-- a «--» b -->\nx «<» y</a>';
    const doc = scan(source);
    assert.deepEqual(codes(doc.problems), ['HS100', 'HS100', 'HS100']);
    const { spans } = marked(source);
    assert.deepEqual(
      doc.problems.map((p) => ({ start: p.start, end: p.end })),
      spans,
    );
  });

  test("HS100: ']]>' in text", () => {
    const source = '<a>x «]]>» y</a>';
    assertOneAt(scan(source).problems, 'HS100', source);
  });

  test('a chain of eight small entities still expands (only real bombs hit the limit)', () => {
    const decls = ['<!ENTITY e0 "x">', ...Array.from({ length: 7 }, (_, i) => `<!ENTITY e${i + 1} "&e${i};">`)];
    const doc = scanXml(`<!DOCTYPE a [${decls.join('')}]><a>&e7;</a>`);
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.root!.texts[0].value, 'x');
  });

  test('reports several independent problems in one pass (fast-xml-parser stops at the first)', () => {
    const source = '<a>\n <b></«x»>\n <c «y»/>\n</a>\n<«d»/>';
    const doc = scan(source);
    assert.deepEqual(codes(doc.problems).sort(), ['HS101', 'HS102', 'HS103', 'HS105']);
  });

  test('ranges stay right with CRLF line ends', () => {
    const source = '<a>\r\n  <b>\r\n  </«c»>\r\n</a>';
    assertOneAt(scan(source).problems, 'HS102', source);
  });

  test('keeps at most maxProblems problems', () => {
    const doc = scanXml('<a>' + '</x>'.repeat(500) + '</a>', { maxDepth: 100, maxProblems: 10 });
    assert.equal(doc.problems.length, 10);
  });
});

suite('scanner: time linear in the text', () => {
  test('a tag with 40,000 attributes, one repeated (found by fuzzing: 16 s, each attribute compared with all before it)', () => {
    const tag = (n: number): string => `<r ${Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(' ')} a7="again"/>`;
    const doc = scanXml(tag(40_000));
    const growth = costGrowth((n) => void scanXml(tag(n)), 2_500, 40_000, 80_000);
    assert.ok(growth < 4, `one attribute costs ${growth.toFixed(1)} times as much among 40,000 as among 2,500`);
    assert.equal(doc.root?.attributes.length, 40_000);
    assert.deepEqual(codes(doc.problems), ['HS105']);
    assert.match(doc.problems[0].message, /Attribute 'a7' is repeated/);
  });

  test('attributes with no tag after them (each searched for the next < to the end of the text)', () => {
    const soup = (n: number): string => `<r><b x=""${' y=""'.repeat(n)}`;
    const doc = scanXml(soup(400_000));
    const growth = costGrowth((n) => void scanXml(soup(n)), 25_000, 400_000, 800_000);
    assert.ok(growth < 4, `one attribute costs ${growth.toFixed(1)} times as much among 400,000 as among 25,000`);
    assert.ok(codes(doc.problems).includes('HS105'), describe(doc.problems));
  });
});

suite('scanner: memory', () => {
  // The tree of a large profile lives until its lint ends, and the young-generation GC copies
  // every object of it at least once: its size is a large part of a whole-process lint's time.
  test('a tree of 20,000 host entries (60,000 elements, 40,000 texts) takes under 600 bytes an entry', () => {
    const scanner = path.resolve(__dirname, '../../../server/src/xml/scanner.js');
    const measure = `
      const { scanXml } = require(${JSON.stringify(scanner)});
      const entry = '<HostEntry><HostName>vpn-host</HostName><HostAddress>vpn.example.com</HostAddress></HostEntry>';
      const text = '<AnyConnectProfile><ServerList>' + entry.repeat(20000) + '</ServerList></AnyConnectProfile>';
      gc();
      const before = process.memoryUsage().heapUsed;
      const doc = scanXml(text);
      gc();
      process.stdout.write(String((process.memoryUsage().heapUsed - before) / 20000));
      if (doc.root.children[0].children.length !== 20000) throw new Error('not the tree expected');
    `;
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', measure], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Number(r.stdout) < 600, `${Number(r.stdout).toFixed(0)} bytes an entry`);
  });
});
