import { OpenvpnFacts } from '../config';
import { appendedArgs, envOf, OpenvpnEvent, scriptTypeOf } from '../hooks';
import { Step } from './steps';

/** The session a simulation stands for: a client's tunnel, or a server's client. */
export interface SessionShape {
  readonly facts: OpenvpnFacts | undefined;
  readonly config: string | undefined;
  /** Temporary files OpenVPN would create: client-connect's config file, auth-user-pass-verify via-file's credentials. */
  readonly tempFile?: string;
  /** client-connect's deferred-status file (multi.c ccs_gen_deferred_ret_file). */
  readonly deferredFile?: string;
}

/**
 * The variables OpenVPN sets for a directive, with realistic values: the tunnel's for up and down
 * (dev from the config, its address, two routes, two pushed options), the client's for the
 * server-side scripts; script_type as the source sends it, script_context=init.
 */
export function eventEnv(event: OpenvpnEvent, shape: SessionShape): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of envOf([event])) if (v.mock !== '' && (!v.setOn || v.setOn.includes(event))) env[v.name] = v.mock;
  const f = shape.facts;
  if (f) {
    env.dev = f.dev;
    env.dev_type = f.devType;
    if (f.topology !== 'subnet' && env.ifconfig_netmask && !f.server) {
      // net30 / p2p: the peer's address instead of a netmask
      delete env.ifconfig_netmask;
      if (appendedArgs[event].length === 6) env.ifconfig_remote = '10.8.0.1';
    }
  }
  if (shape.config) env.config = shape.config;
  if (event === 'auth-user-pass-verify' && f?.authMethod !== 'via-env') delete env.password;
  if (event === 'auth-user-pass-verify' && f?.authMethod === 'via-env' && f.scriptSecurity < 3) delete env.password;
  // multi.c ccs_gen_config_file / ccs_gen_deferred_ret_file name client-connect's two files in the environment too.
  if (event === 'client-connect' && shape.tempFile) env.client_connect_config_file = shape.tempFile;
  if (event === 'client-connect' && shape.deferredFile) env.client_connect_deferred_file = shape.deferredFile;
  env.script_type = scriptTypeOf[event];
  env.script_context = 'init';
  return env;
}

/**
 * A step's variables: the directive's, with its script_context; a restart's down gets signal=sigusr1
 * and a restart's up (with up-restart) none of the route variables (the man page: routing is in
 * place); tls-verify the certificate variables of every depth verified so far, this one included.
 */
export function stepEnv(step: Step, shape: SessionShape): Record<string, string> {
  const env = eventEnv(step.event, shape);
  env.script_context = step.context;
  // init.c do_close_tun passes signal_description(): the lower-case signal name, sigusr1 for a SIGUSR1.
  if (step.restart && (step.event === 'down' || step.event === 'route-pre-down')) env.signal = 'sigusr1';
  if (step.restart && step.context === 'restart' && step.event === 'up')
    for (const k of Object.keys(env)) if (/^route_/.test(k)) delete env[k];
  if (step.chain && step.depth !== undefined) {
    for (const k of Object.keys(env)) if (/^(tls_(id|serial|serial_hex|digest|digest_sha256)|X509)_\d+/.test(k)) delete env[k];
    for (let d = step.chain.length - 1; d >= step.depth; d--) Object.assign(env, certificateEnv(step.chain, d));
  }
  return env;
}

/**
 * ssl_verify.c verify_cert_set_env's variables for the certificate at `depth`: its subject, serial
 * (decimal and hex), SHA-1 and SHA-256 fingerprints and X509_<depth>_<field>s.
 */
function certificateEnv(chain: readonly string[], depth: number): Record<string, string> {
  const subject = chain[chain.length - 1 - depth];
  const serial = 0x1000 + chain.length - 1 - depth;
  const digest = mockFingerprint(subject, 20);
  const env: Record<string, string> = {
    [`tls_id_${depth}`]: subject,
    [`tls_serial_${depth}`]: String(serial),
    [`tls_serial_hex_${depth}`]: serial.toString(16).padStart(2, '0').match(/../g)?.join(':') ?? '',
    [`tls_digest_${depth}`]: digest,
    [`tls_digest_sha256_${depth}`]: mockFingerprint(subject, 32),
  };
  for (const part of subject.split(/\s*,\s*/)) {
    const m = /^([A-Za-z][\w.]*)=(.*)$/.exec(part);
    if (m) env[`X509_${depth}_${m[1]}`] = m[2];
  }
  return env;
}

/**
 * A SHA-1 fingerprint's shape (20 bytes, aa:bb:...) made from the subject, the same on every run: the
 * stand-in when no real certificate is made (one is, with tls-export-cert). FNV-1a, not node:crypto,
 * which would cost every CLI start its load.
 */
function mockFingerprint(subject: string, size: number): string {
  let h = 0x811c9dc5;
  const bytes: string[] = [];
  for (let i = 0; bytes.length < size; i++) {
    h = Math.imul(h ^ (i < subject.length ? subject.charCodeAt(i) : i), 0x01000193) >>> 0;
    bytes.push((h >>> 24).toString(16).padStart(2, '0'));
  }
  return bytes.join(':');
}

/** What OpenVPN appends after the directive's own words, for a simulated session. */
export function openvpnArgs(step: Step, env: Readonly<Record<string, string>>, shape: SessionShape): string[] {
  switch (step.event) {
    case 'up':
    case 'down':
    case 'route-pre-down':
      return [env.dev, env.tun_mtu, '0', env.ifconfig_local, env.ifconfig_netmask ?? env.ifconfig_remote ?? '', env.script_context];
    case 'client-connect':
      return shape.tempFile ? [shape.tempFile] : [];
    case 'auth-user-pass-verify':
      return shape.facts?.authMethod === 'via-file' && shape.tempFile ? [shape.tempFile] : [];
    case 'learn-address':
      // delete passes no common name (multi.c): the address alone.
      return step.op === 'delete'
        ? ['delete', env.ifconfig_pool_remote_ip]
        : [step.op ?? 'add', env.ifconfig_pool_remote_ip, env.common_name];
    case 'tls-verify':
      return [String(step.depth ?? 0), env[`tls_id_${step.depth ?? 0}`] ?? env.tls_id_0];
    case 'ipchange':
      // socket.c ipchange_fmt: "ip port" through one %s, which argv.c keeps as one argument.
      return [`${env.trusted_ip} ${env.trusted_port}`];
    default:
      return [];
  }
}

/**
 * The environment the script gets: learn-address's delete runs with no client instance, so multi.c
 * learn_address_script makes a fresh env_set holding script_type alone (and the exec passes nothing else).
 */
export function deliveredEnv(step: Step, env: Readonly<Record<string, string>>): Record<string, string> {
  if (step.event === 'learn-address' && step.op === 'delete') return { script_type: env.script_type };
  return { ...env };
}
