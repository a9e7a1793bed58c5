import { describeType, ElementSpec, userControllableAttribute } from './schema';

/** Markdown about one schema element, shared by hover and completion: all of it read from the table. */
export function elementMarkdown(spec: ElementSpec, parents: readonly ElementSpec[]): string {
  const lines = [`**${spec.name}** · ${dialectOf(spec)}`, '', spec.doc, ''];
  if (spec.value) lines.push(`- Value: ${describeType(spec.value)}`);
  if (spec.value?.kind === 'enum' || spec.value?.kind === 'boolean')
    lines.push(
      `- Allowed values: ${valuesOf(spec)
        .map((v) => `\`${v}\``)
        .join(', ')}`,
    );
  if (spec.default !== undefined) lines.push(`- Default: \`${spec.default}\``);
  if (parents.length) lines.push(`- Nests in: ${parents.map((p) => `\`${p.name}\``).join(' › ')}`);
  if (spec.userControllable) lines.push(`- Takes \`${userControllableAttribute}="true"\` to let the user change it in the client`);
  const children = spec.children ?? [];
  if (children.length)
    lines.push(`- Children${spec.order === 'sequence' ? ', in this order' : ''}: ${children.map((c) => `\`${c.name}\``).join(', ')}`);
  if (spec.repeats) lines.push('- May repeat');
  if (spec.required) lines.push('- Required');
  if (spec.opaque) lines.push('- Hooksmith does not check its contents');
  if (spec.since) lines.push(`- Introduced in ${spec.since}`);
  if (spec.ciscoNote) lines.push('', `> ${spec.ciscoNote}`);
  return lines.join('\n').trimEnd();
}

function dialectOf(spec: ElementSpec): string {
  if (spec.dialect === 'seed') return "seed dialect (read by the seed's executor, not Cisco's client)";
  return spec.since
    ? `Cisco's client since ${spec.since} (not in AnyConnect 4.10's AnyConnectProfile.xsd)`
    : "Cisco's schema (AnyConnectProfile.xsd, AnyConnect 4.10)";
}

/** The values an element's text may take, default first; empty for free text and numbers. */
export function valuesOf(spec: ElementSpec): string[] {
  const type = spec.value;
  const all = type?.kind === 'boolean' ? ['true', 'false'] : type?.kind === 'enum' ? [...type.values] : [];
  return spec.default && all.includes(spec.default) ? [spec.default, ...all.filter((v) => v !== spec.default)] : all;
}

export const userControllableDoc =
  `**${userControllableAttribute}** · true or false\n\nWhether the user may change this preference in the client. ` +
  `Allowed only on preferences the schema marks as user-controllable.`;
