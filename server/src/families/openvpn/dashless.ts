import { ParsedConfig } from '../../config/keyValue';

const dashlessViews = new WeakMap<ParsedConfig, ParsedConfig>();

/**
 * The config with `--up` read as `up`: options_parse.c bypass_doubledash drops a leading `--` from an
 * option's name of three characters or more, so a command line pasted into a config works.
 */
export function dashless(config: ParsedConfig): ParsedConfig {
  if (!config.entries.some((e) => e.key.startsWith('--'))) return config;
  let view = dashlessViews.get(config);
  if (!view) {
    const entries = config.entries.map((e) =>
      e.key.length >= 3 && e.key.startsWith('--')
        ? { ...e, key: e.key.slice(2), keySpan: { ...e.keySpan, start: e.keySpan.start + 2 } }
        : e,
    );
    view = { ...config, entries };
    dashlessViews.set(config, view);
  }
  return view;
}
