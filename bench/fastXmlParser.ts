/** fast-xml-parser's XMLParser on the large profile: the parser Hooksmith's own scanner replaced. */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { sample } from './stats';

const parserOptions = { preserveOrder: true, captureMetaData: true, ignoreAttributes: false, parseTagValue: false, jPath: false } as const;

/** Reading and parsing `path`, `runs` times after one warm-up; returns each run's ms. */
export function benchFastXmlParser(path: string, runs = 5): number[] {
  const parse = (): unknown => new XMLParser(parserOptions).parse(readFileSync(path, 'utf8'));
  parse();
  return sample(runs, parse);
}
