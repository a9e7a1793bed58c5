/**
 * The JSON schema of hook test specs, for editors other than Hooksmith's (the YAML language server,
 * IntelliJ): generated from the same key tables and family declarations the checker reads
 * (`npm run sync:manifest` writes schemas/hooktest.schema.json; a test keeps it equal).
 */
import type { HookFamily } from '../families/family';
import { familyEvents, requestFields, testableFamilies } from './families';
import { commandKeys, fieldKey, KeyDoc, presenceKeys, rowKeys, runKeys, stateKindKeys, testKeys, topKeys, wholeRunKeys } from './model';

type Json = Record<string, unknown>;

export const schemaPath = 'schemas/hooktest.schema.json';

const patterns: Json = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const argvPattern: Json = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] };

function object(keys: readonly KeyDoc[], value: (k: KeyDoc) => Json, extra: Json = {}): Json {
  const required = keys.filter((k) => k.required).map((k) => k.key);
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(keys.map((k) => [k.key, { description: k.doc, ...value(k) }])),
    ...(required.length ? { required } : {}),
    ...extra,
  };
}

/** The value schema of a key of the tables in model.ts. */
function valueSchema(k: KeyDoc): Json {
  switch (k.type) {
    case 'string':
      return k.values ? { enum: [...k.values] } : { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer', minimum: 0, maximum: 255 };
    case 'duration':
      return {
        anyOf: [
          { type: 'number', minimum: 0 },
          { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s)\\s*$' },
        ],
      };
    case 'env':
      return { $ref: '#/definitions/env' };
    case 'patterns':
      return k.values ? { anyOf: [{ enum: [...k.values] }, { type: 'array', items: { enum: [...k.values] } }] } : patterns;
    case 'commands':
      return {
        anyOf: [
          argvPattern,
          { type: 'array', items: argvPattern },
          object(commandKeys, () => ({ anyOf: [argvPattern, { type: 'array', items: argvPattern }] })),
        ],
      };
    case 'state':
      return object(stateKindKeys, () => ({ anyOf: [patterns, object(presenceKeys, () => patterns)] }));
    default:
      return {};
  }
}

function familyTest(family: HookFamily): Json {
  const fields = requestFields(family).map(fieldKey);
  const events = familyEvents(family);
  const run = { $ref: '#/definitions/run' };
  const expect = object([...runKeys, ...wholeRunKeys], valueSchema);
  (expect.properties as Json) = {
    ...(expect.properties as Json),
    ...Object.fromEntries(events.map((e) => [e, { description: `Expectations of the ${e} run.`, ...run }])),
  };
  const row = object([...rowKeys, ...fields.map((f) => ({ ...f, required: false }))], valueSchema);
  const keys = [...testKeys, ...fields];
  return object(
    keys,
    (k) => {
      if (k.key === 'family') return { const: family.id };
      if (k.key === 'expect') return expect;
      if (k.key === 'matrix') return { type: 'array', minItems: 1, items: row };
      return valueSchema(k);
    },
    { title: `A ${family.displayName} test` },
  );
}

export function hooktestSchema(): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Hooksmith hook test spec',
    description: "A *.hooktest.yaml or hooksmith.test.yaml file: tests that simulate a hook family's events and check what happened.",
    ...object(topKeys, () => ({
      type: 'array',
      items: { oneOf: testableFamilies().map((f) => ({ $ref: `#/definitions/test-${f.id}` })) },
    })),
    definitions: {
      env: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
      run: object(runKeys, valueSchema),
      ...Object.fromEntries(testableFamilies().map((f) => [`test-${f.id}`, familyTest(f)])),
    },
  };
}
