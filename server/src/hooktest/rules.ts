import type { RuleRecord } from '../diagnostics';

const group = 'Hook test specs (HS8xx)';

/** The spec checker's rules (check.ts); each has its page in docs/rules/. */
export const hooktestRules: readonly RuleRecord[] = [
  {
    code: 'HS800',
    title: 'Spec is not valid YAML',
    severity: 'error',
    group,
    summary:
      'A hook test spec (`*.hooktest.yaml`, `hooksmith.test.yaml`) cannot be read as YAML: a bad indentation, an ' +
      'unclosed quote or bracket, a key given twice.',
  },
  {
    code: 'HS801',
    title: 'Unknown key in a spec',
    severity: 'error',
    group,
    summary:
      'A key of a spec, a test, a matrix row or an expectation is not one Hooksmith knows there, nor one of the test ' +
      "family's request fields.",
  },
  {
    code: 'HS802',
    title: 'Wrong type of value in a spec',
    severity: 'error',
    group,
    summary:
      'A value in a spec has the wrong type or is out of range: a list where a map belongs, text where a number ' +
      'belongs, a duration that is not milliseconds or `2s`.',
  },
  {
    code: 'HS803',
    title: 'Unknown family in a spec',
    severity: 'error',
    group,
    summary: "A test's `family` is not a hook family Hooksmith simulates.",
  },
  {
    code: 'HS804',
    title: 'Event the family does not have',
    severity: 'error',
    group,
    summary:
      'A test names an event, command or hook its family does not have: in its request fields (`events`, `command`) ' +
      'or as a key of `expect`.',
  },
  {
    code: 'HS805',
    title: 'File in a spec does not exist',
    severity: 'error',
    group,
    summary: "A path a test gives (profile, script folder, script, confdir) does not exist, relative to the spec's folder.",
  },
  {
    code: 'HS806',
    title: 'Bad pattern in a spec',
    severity: 'error',
    group,
    summary: 'An output `/regex/` does not compile, or a command or state pattern is empty.',
  },
  {
    code: 'HS807',
    title: 'Missing key in a spec',
    severity: 'error',
    group,
    summary:
      'A spec has no `tests`, or a test lacks `name`, `family`, `expect` or a field its family requires (`events`, `command`, `confdir`).',
  },
  {
    code: 'HS808',
    title: 'State expectation outside the sandbox',
    severity: 'error',
    group,
    summary: '`state` or `restored` is expected of a test that does not say `isolation: sandbox`: the state is read in the sandbox only.',
  },
  {
    code: 'HS809',
    title: 'Two tests with one name',
    severity: 'error',
    group,
    summary: 'Two tests in one spec file have the same name: reports, `--filter` and the Test Explorer tell tests apart by name.',
  },
  {
    code: 'HS810',
    title: 'Request the family refuses',
    severity: 'error',
    group,
    summary:
      'The simulation a test (or a row of its matrix) asks for fails the request check every face applies: a reserved ' +
      'variable in `env` (PATH, HOOKSMITH_*, LD_*), a value out of range.',
  },
];
