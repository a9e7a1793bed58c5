/** The one results table: plain text, aligned columns. */
export interface Row {
  readonly what: string;
  readonly value: string;
  readonly goal: string;
  readonly result: string;
}

const header: Row = { what: 'Measurement', value: 'Measured', goal: 'Goal', result: 'Result' };
const columns = ['what', 'value', 'goal', 'result'] as const;

export function verdict(met: boolean): string {
  return met ? 'pass' : 'miss';
}

export function formatTable(rows: readonly Row[]): string {
  const all = [header, ...rows];
  const widths = columns.map((c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: Row): string =>
    columns
      .map((c, i) => r[c].padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
