/**
 * Generates Profile Editor style AnyConnect profiles for the benchmarks: a realistic ~30 KB
 * profile and a 4.85 MB one with exactly 20,000 HostEntry elements. Deterministic: the same
 * input always gives the same bytes. Text is ASCII only, so string length equals byte size.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MB = 1024 * 1024;
export const smallTargetBytes = 30 * 1024;
export const largeTargetBytes = Math.round(4.85 * MB);
export const largeHostEntries = 20_000;

const header =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<AnyConnectProfile xmlns="http://schemas.xmlsoap.org/encoding/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xsi:schemaLocation="http://schemas.xmlsoap.org/encoding/ AnyConnectProfile.xsd">\n';

const cities = [
  'Frankfurt',
  'Amsterdam',
  'London',
  'Paris',
  'Madrid',
  'Milan',
  'Stockholm',
  'Warsaw',
  'New York',
  'Chicago',
  'Dallas',
  'Toronto',
  'Sao Paulo',
  'Tokyo',
  'Singapore',
  'Sydney',
  'Mumbai',
  'Johannesburg',
];
const regions = ['eu', 'eu', 'eu', 'eu', 'eu', 'eu', 'eu', 'eu', 'us', 'us', 'us', 'ca', 'br', 'jp', 'sg', 'au', 'in', 'za'];
const groups = ['EMPLOYEES', 'CONTRACTORS', 'ENGINEERING', 'SUPPORT', 'EXECUTIVES'];
/** Text appended to HostName to bring the large profile to its exact size. */
const filler =
  ' - primary gateway of the regional office, monitored around the clock by the network operations team, ' +
  'maintenance window Sunday 02:00-04:00 UTC';

/** One line of `depth` tabs + `content`. */
const line = (depth: number, content: string): string => `${'\t'.repeat(depth)}${content}\n`;
const leaf = (depth: number, name: string, value: string, uc?: boolean): string => line(depth, `<${name}${ucAttr(uc)}>${value}</${name}>`);
const ucAttr = (uc?: boolean): string => (uc === undefined ? '' : ` UserControllable="${uc}"`);

/** An element with a value of its own followed by child elements, as the Profile Editor writes it. */
function mixed(depth: number, name: string, value: string, children: string, uc?: boolean): string {
  return line(depth, `<${name}${ucAttr(uc)}>${value}`) + children + line(depth, `</${name}>`);
}

function container(depth: number, name: string, children: string): string {
  return line(depth, `<${name}>`) + children + line(depth, `</${name}>`);
}

/** A full ClientInitialization with valid values, UserControllable where the schema allows it. */
export function clientInitialization(): string {
  return container(1, 'ClientInitialization', [...preferences(), ...policies(), ...extras()].join(''));
}

function preferences(): string[] {
  return [
    leaf(2, 'UseStartBeforeLogon', 'false', true),
    leaf(2, 'AutomaticCertSelection', 'true', true),
    leaf(2, 'ShowPreConnectMessage', 'false'),
    leaf(2, 'CertificateStore', 'All'),
    leaf(2, 'CertificateStoreMac', 'All'),
    leaf(2, 'CertificateStoreOverride', 'false'),
    mixed(2, 'ProxySettings', 'Override', leaf(3, 'PublicProxyServerAddress', 'proxy.corp.example.com:8080', false), false),
    leaf(2, 'AllowLocalProxyConnections', 'true'),
    leaf(2, 'AuthenticationTimeout', '30'),
    leaf(2, 'AutoConnectOnStart', 'false', true),
    leaf(2, 'MinimizeOnConnect', 'true', true),
    leaf(2, 'LocalLanAccess', 'false', true),
    leaf(2, 'DisableCaptivePortalDetection', 'false', false),
    leaf(2, 'ClearSmartcardPin', 'true', false),
    leaf(2, 'SafeWordSofTokenIntegration', 'false', false),
    leaf(2, 'IPProtocolSupport', 'IPv4,IPv6'),
    mixed(2, 'AutoReconnect', 'true', leaf(3, 'AutoReconnectBehavior', 'ReconnectAfterResume', false), false),
    leaf(2, 'SuspendOnConnectedStandby', 'false'),
    leaf(2, 'AutoUpdate', 'true', false),
    leaf(2, 'RSASecurIDIntegration', 'Automatic', false),
  ];
}

function policies(): string[] {
  return [
    leaf(2, 'WindowsLogonEnforcement', 'SingleLocalLogon'),
    leaf(2, 'LinuxLogonEnforcement', 'SingleLocalLogon'),
    leaf(2, 'WindowsVPNEstablishment', 'LocalUsersOnly'),
    leaf(2, 'LinuxVPNEstablishment', 'LocalUsersOnly'),
    mixed(2, 'AutomaticVPNPolicy', 'true', trustedNetworkDetection()),
    mixed(2, 'PPPExclusion', 'Override', leaf(3, 'PPPExclusionServerIP', '192.0.2.1', false), false),
    mixed(
      2,
      'EnableScripting',
      'true',
      leaf(3, 'TerminateScriptOnNextEvent', 'true') + leaf(3, 'EnablePostSBLOnConnectScript', 'false'),
      false,
    ),
    mixed(
      2,
      'EnableAutomaticServerSelection',
      'false',
      leaf(3, 'AutoServerSelectionImprovement', '20') + leaf(3, 'AutoServerSelectionSuspendTime', '4'),
      false,
    ),
    mixed(2, 'RetainVpnOnLogoff', 'false', leaf(3, 'UserEnforcement', 'SameUserOnly')),
  ];
}

function trustedNetworkDetection(): string {
  const server = container(
    4,
    'TrustedHttpsServer',
    leaf(5, 'Address', 'tnd.corp.example.com') +
      leaf(5, 'Port', '443') +
      leaf(5, 'CertificateHash', 'A1B2C3D4E5F60718293A4B5C6D7E8F9011223344'),
  );
  return [
    leaf(3, 'TrustedDNSDomains', 'corp.example.com,lab.example.com'),
    leaf(3, 'TrustedDNSServers', '192.0.2.53,192.0.2.54'),
    container(3, 'TrustedHttpsServerList', server),
    leaf(3, 'TrustedNetworkPolicy', 'Disconnect'),
    leaf(3, 'UntrustedNetworkPolicy', 'Connect'),
    leaf(3, 'AlwaysOn', 'false'),
  ].join('');
}

function extras(): string[] {
  const keyUsage = container(3, 'KeyUsage', leaf(4, 'MatchKey', 'Digital_Signature'));
  const extendedKeyUsage = container(3, 'ExtendedKeyUsage', leaf(4, 'ExtendedMatchKey', 'ClientAuth'));
  return [
    leaf(2, 'CaptivePortalRemediationBrowserFailover', 'false'),
    leaf(2, 'AllowManualHostInput', 'true'),
    leaf(2, 'AllowIPsecOverSSL', 'false'),
    leaf(2, 'ServiceDisable', 'false'),
    container(2, 'CertificateMatch', keyUsage + extendedKeyUsage),
    container(
      2,
      'BackupServerList',
      leaf(3, 'HostAddress', 'vpn-backup1.corp.example.com') + leaf(3, 'HostAddress', 'vpn-backup2.corp.example.com'),
    ),
  ];
}

/**
 * What a HostEntry holds besides HostName, HostAddress and UserGroup: `full` adds a
 * BackupServerList and IPsec with StandardAuthenticationOnly; `backup` only the former;
 * `ssl` only an SSL PrimaryProtocol; `minimal` nothing.
 */
export type EntryShape = 'full' | 'backup' | 'ssl' | 'minimal';

/** The large profile cycles through these, as a real fleet's entries differ. */
const largeShapes: readonly EntryShape[] = ['full', 'minimal', 'ssl', 'backup'];

/** HostEntry number `i` (0-based); `padding` extra characters are appended to its HostName. */
export function hostEntry(i: number, shape: EntryShape = 'full', padding = 0): string {
  if (padding > filler.length) throw new Error(`HostEntry padding ${padding} exceeds the filler (${filler.length})`);
  const n = String(i + 1).padStart(5, '0');
  const region = regions[i % regions.length];
  const address = (k: string): string => `gw${k}.${region}.example.com`;
  const backup = String(((i + 1) % 99_999) + 1).padStart(5, '0');
  let body =
    leaf(3, 'HostName', `${cities[i % cities.length]} ${n}${filler.slice(0, padding)}`) +
    leaf(3, 'HostAddress', address(n)) +
    leaf(3, 'UserGroup', groups[i % groups.length]);
  if (shape === 'full' || shape === 'backup') body += container(3, 'BackupServerList', leaf(4, 'HostAddress', address(backup)));
  if (shape === 'full') body += mixed(3, 'PrimaryProtocol', 'IPsec', leaf(4, 'StandardAuthenticationOnly', String(i % 8 === 0)));
  if (shape === 'ssl') body += leaf(3, 'PrimaryProtocol', 'SSL');
  return container(2, 'HostEntry', body);
}

/** A whole profile around the given HostEntry texts. */
export function profile(entries: readonly string[]): string {
  return header + clientInitialization() + container(1, 'ServerList', entries.join('')) + '</AnyConnectProfile>\n';
}

/** The realistic profile: HostEntry elements are added until it reaches `targetBytes`. */
export function smallProfile(targetBytes = smallTargetBytes): string {
  const entries: string[] = [];
  let size = profile(entries).length;
  while (size < targetBytes) {
    const entry = hostEntry(entries.length);
    entries.push(entry);
    size += entry.length;
  }
  return profile(entries);
}

/** Exactly `count` HostEntry elements, HostNames padded so that the file is `targetBytes` long. */
export function largeProfile(count = largeHostEntries, targetBytes = largeTargetBytes): string {
  const shape = (i: number): EntryShape => largeShapes[i % largeShapes.length];
  const bare = profile(Array.from({ length: count }, (_, i) => hostEntry(i, shape(i))));
  const perEntry = (targetBytes - bare.length) / count;
  if (perEntry < 0) throw new Error(`${count} HostEntry elements already make ${bare.length} bytes, over ${targetBytes}`);
  const padding = (i: number): number => Math.floor((i + 1) * perEntry) - Math.floor(i * perEntry);
  return profile(Array.from({ length: count }, (_, i) => hostEntry(i, shape(i), padding(i))));
}

export interface GeneratedFiles {
  readonly smallPath: string;
  readonly smallText: string;
  readonly largePath: string;
  readonly largeBytes: number;
}

/** Writes both profiles to `dir` (bench/out/) and checks the large one's size. */
export function writeProfiles(dir: string): GeneratedFiles {
  mkdirSync(dir, { recursive: true });
  const smallText = smallProfile();
  const large = largeProfile();
  const smallPath = join(dir, 'profile-30k.xml');
  const largePath = join(dir, 'profile-20000-hosts.xml');
  writeFileSync(smallPath, smallText);
  writeFileSync(largePath, large);
  checkLarge(large);
  return { smallPath, smallText, largePath, largeBytes: large.length };
}

function checkLarge(text: string): void {
  const drift = Math.abs(text.length - largeTargetBytes) / largeTargetBytes;
  if (drift > 0.02) throw new Error(`The large profile is ${text.length} bytes, more than 2% off ${largeTargetBytes}`);
  const entries = text.split('<HostEntry>').length - 1;
  if (entries !== largeHostEntries) throw new Error(`The large profile has ${entries} HostEntry elements, not ${largeHostEntries}`);
}
