import { execFile, ExecFileOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

/** execFile as a promise, made on first use: reading execFile loads node:child_process, which a lint never needs. */
function run(file: string, args: readonly string[], options: ExecFileOptions): Promise<unknown> {
  return promisify(execFile)(file, args, options);
}

/** One certificate of a simulated chain: the PEM file OpenVPN's tls-export-cert would hand over, and its fingerprint. */
export interface ChainCertificate {
  readonly file: string;
  readonly sha1: string;
  readonly sha256: string;
}

/** "C=US, O=Example, CN=client1" as openssl's -subj wants it: /C=US/O=Example/CN=client1 (a / in a value escaped). */
function subjectArg(subject: string): string {
  const parts = subject
    .split(/\s*,\s*/)
    .map((p) => /^([A-Za-z][\w.]*)=(.*)$/.exec(p))
    .filter((m): m is RegExpExecArray => m !== null);
  return parts.length ? parts.map((m) => `/${m[1]}=${m[2].replace(/[/\\]/g, '\\$&')}`).join('') : '/CN=unnamed';
}

/**
 * Real certificates for the chain's subjects (its CA first), each signed by the one before, with the
 * serials the tls_serial_N variables say (0x1000 + position): what `peer_cert` names when the config
 * has tls-export-cert, so a script's `openssl x509 -in "$peer_cert"` reads a certificate. By depth
 * (0: the peer); undefined when openssl is not installed or fails (the runs then get no peer_cert).
 */
export async function chainCertificates(dir: string, chain: readonly string[]): Promise<ChainCertificate[] | undefined> {
  // Loaded here, not at start-up: a lint never needs node:crypto.
  const { X509Certificate } = await import('node:crypto');
  const out: ChainCertificate[] = [];
  const opts = { timeout: 10_000, env: { PATH: '/usr/bin:/bin', OPENSSL_CONF: '/dev/null' } };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    for (let i = 0; i < chain.length; i++) {
      const base = path.join(dir, `chain-${i}`);
      const serial = String(0x1000 + i);
      const subj = subjectArg(chain[i]);
      if (i === 0) {
        await run(
          'openssl',
          ['req', '-x509', ...newKey, '-keyout', `${base}.key`, '-out', `${base}.pem`, '-subj', subj, '-days', '30', '-set_serial', serial],
          opts,
        );
      } else {
        const parent = path.join(dir, `chain-${i - 1}`);
        await run('openssl', ['req', '-new', ...newKey, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subj], opts);
        const sign = ['x509', '-req', '-in', `${base}.csr`, '-CA', `${parent}.pem`, '-CAkey', `${parent}.key`, '-set_serial', serial];
        await run('openssl', [...sign, '-days', '30', '-out', `${base}.pem`], opts);
      }
      const pem = fs.readFileSync(`${base}.pem`, 'utf8');
      const x509 = new X509Certificate(pem);
      out.push({ file: `${base}.pem`, sha1: x509.fingerprint.toLowerCase(), sha256: x509.fingerprint256.toLowerCase() });
    }
  } catch {
    return undefined;
  }
  // By depth: the last of the chain (the peer) is depth 0.
  return out.reverse();
}
