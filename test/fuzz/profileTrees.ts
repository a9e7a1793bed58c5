/**
 * Profiles generated from the schema table: element trees that are mostly right (so the schema
 * rules run deep), with the mistakes people make: wrong values, misspelt, unknown, misplaced and
 * repeated elements, stray text, UserControllable where it is not allowed, entities and CDATA.
 */
import fc from 'fast-check';
import { ElementSpec, profileNamespace, profileRoot, ValueType } from '../../server/src/profile/schema';

interface Tree {
  readonly name: string;
  readonly attributes: readonly string[];
  readonly value: string;
  readonly children: readonly Tree[];
  readonly selfClosing: boolean;
}

const valueWords = [
  'true',
  'false',
  'True',
  '',
  ' ',
  'yes',
  '0',
  '5',
  '10',
  '120',
  '121',
  '-1',
  '99999999999999999999',
  'All',
  'Native',
  'IPv4,IPv6',
  'SSL',
  'x',
];
const scriptNames = [
  'OnConnect_x.sh',
  'OnDisconnect_x.sh',
  'OnConnect.sh',
  'onconnect_x.sh',
  '../OnConnect_x.sh',
  'C:OnConnect_x.sh',
  '~/x',
  'OnConnect_a b.sh',
  'x',
];
const strangeNames = [
  'Foo',
  'AutoReconect',
  'StrictCertificateTrust',
  'ac:HostEntry',
  'xsi:nil',
  'HostName',
  'AutoReconnectBehavior',
  'ClientInitialization',
];

/** Text for a value of `type`: valid most of the time, with near and far misses. */
function valueOf(type: ValueType | undefined): fc.Arbitrary<string> {
  const wrong = fc.constantFrom(...valueWords);
  if (!type) return fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: wrong });
  switch (type.kind) {
    case 'boolean':
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom('true', 'false') }, wrong);
    case 'enum':
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...type.values) },
        fc.constantFrom(...type.values.map((v) => v.toLowerCase())),
        wrong,
      );
    case 'int':
      return fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: type.min, max: type.max }).map(String) },
        fc.integer({ min: -5, max: 1000 }).map(String),
        wrong,
      );
    case 'script':
      return fc.constantFrom(...scriptNames);
    case 'string':
      return fc.oneof(fc.constantFrom('vpn.example.com', 'VPN', '', 'a&amp;b', '10.0.0.1'), fc.string({ maxLength: 12 }));
  }
}

/** Writes a value as text, with an entity or CDATA now and then. */
const textForm = fc.constantFrom<(v: string) => string>(
  (v) => v,
  (v) => v,
  (v) => v,
  (v) => ` ${v}\n\t`,
  (v) => `<![CDATA[${v}]]>`,
  (v) => (v ? `&#${v.codePointAt(0)};${v.slice(1)}` : v),
  (v) => `${v}&undefined;`,
  (v) => `&t;${v}`,
  (v) => `${v}&d;&d;`,
  (v) => `<!-- c -->${v}`,
);

const attributeChoices = (spec: ElementSpec): string[] => [
  'UserControllable="true"',
  'UserControllable="false"',
  'UserControllable="maybe"',
  `xmlns="${profileNamespace}"`,
  'xmlns="http://example.com/"',
  'Foo="1"',
  ...(spec.attributes ?? []).map((a) => `${a}="x"`),
];

const built = new Map<ElementSpec, fc.Arbitrary<Tree>>();

/** The arbitrary for one element of the schema and its subtree (built once per spec). */
function elementOf(spec: ElementSpec): fc.Arbitrary<Tree> {
  const cached = built.get(spec);
  if (cached) return cached;
  const kids = spec.children ?? [];
  const childArbs = kids.map((c) => ({ weight: 4, arbitrary: elementOf(c) })); // the schema is a finite tree
  const stray = fc.record({
    name: fc.constantFrom(...strangeNames),
    attributes: fc.constant([]),
    value: fc.constantFrom('', 'true', 'x'),
    children: fc.constant([]),
    selfClosing: fc.boolean(),
  });
  const children = fc.array(fc.oneof(...childArbs, { weight: 1, arbitrary: stray }), { maxLength: kids.length > 8 ? 10 : 4 });
  const arb = fc.record({
    name: fc.oneof({ weight: 12, arbitrary: fc.constant(spec.name) }, fc.constant(spec.name.toLowerCase()), fc.constant(`ac:${spec.name}`)),
    attributes: fc.subarray(attributeChoices(spec), { maxLength: 2 }),
    value: fc.tuple(valueOf(spec.value), textForm).map(([v, form]) => form(v)),
    children,
    selfClosing: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, fc.constant(true)),
  });
  built.set(spec, arb);
  return arb;
}

function serialize(tree: Tree, indent: string): string {
  const attrs = tree.attributes.map((a) => ` ${a}`).join('');
  if (tree.selfClosing) return `${indent}<${tree.name}${attrs}/>`;
  if (!tree.children.length) return `${indent}<${tree.name}${attrs}>${tree.value}</${tree.name}>`;
  const inner = tree.children.map((c) => serialize(c, indent + '\t')).join('\n');
  return `${indent}<${tree.name}${attrs}>${tree.value}\n${inner}\n${indent}</${tree.name}>`;
}

const prologs = [
  '',
  '<?xml version="1.0" encoding="UTF-8"?>\n',
  '\uFEFF<?xml version="1.0"?>\n',
  '<?xml version="1.0"?>\n<!DOCTYPE AnyConnectProfile [<!ENTITY t "true"><!ENTITY lol "&t;&t;&t;&t;">]>\n',
  // a billion laughs: &d; is 10,000 characters
  '<!DOCTYPE AnyConnectProfile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c ' +
    '"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY t "true">]>\n',
  '<!DOCTYPE AnyConnectProfile SYSTEM "http://example.com/x.dtd">\n',
  '<!-- generated -->\n',
];

/** A whole profile: a prolog, the root (rarely another element) and its tree. */
export const generatedProfile: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...prologs),
    elementOf(profileRoot),
    fc.constantFrom('', '\n', '\n<Extra/>', 'trailing text'),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([prolog, root, tail, newline]) => {
    const rooted = { ...root, attributes: root.attributes.length ? root.attributes : [`xmlns="${profileNamespace}"`] };
    return (prolog + serialize(rooted, '') + tail).replace(/\n/g, newline);
  });
