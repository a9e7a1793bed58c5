/** Where the benchmark finds its inputs, from out/bench/ (compiled) back to the repository. */
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

export const paths = {
  root,
  outDir: resolve(root, 'bench/out'),
  xsd: resolve(root, 'bench/AnyConnectProfile.xsd'),
  server: resolve(root, 'dist/server.js'),
} as const;
