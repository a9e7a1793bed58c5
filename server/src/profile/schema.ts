/**
 * The AnyConnect / Secure Client profile schema as data (AnyConnect 4.10's AnyConnectProfile.xsd,
 * the later elements Secure Client 5 writes, marked with `since`, plus the seed's dialect). Validation, completion, hover and the outline
 * read this table.
 * No element name is hard-coded anywhere else.
 */
export type ValueType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'string' }
  | { readonly kind: 'script'; readonly event: 'OnConnect' | 'OnDisconnect' };

export interface ElementSpec {
  readonly name: string;
  readonly doc: string;
  /** The type of the element's own text; absent for pure containers. */
  readonly value?: ValueType;
  readonly default?: string;
  /** Takes the UserControllable attribute. */
  readonly userControllable?: boolean;
  /** Other attributes the schema allows. */
  readonly attributes?: readonly string[];
  /** Child elements; with `order: 'sequence'` they must come in the listed order (xs:sequence), else any order (xs:all). */
  readonly children?: readonly ElementSpec[];
  readonly order?: 'sequence';
  /** May repeat (HostEntry, HostAddress in a list). */
  readonly repeats?: boolean;
  readonly required?: boolean;
  /** Contents are a structure Hooksmith does not check yet. */
  readonly opaque?: boolean;
  /** Only the seed's executor reads it. */
  readonly dialect?: 'seed';
  /** What Cisco's own client does instead, for seed-dialect elements. */
  readonly ciscoNote?: string;
  /** The child whose text names this element in the outline (a HostEntry by its HostName). */
  readonly outlineName?: string;
  /** The client release that introduced it, where known (elements after AnyConnect 4.10's schema). */
  readonly since?: string;
}

export const profileNamespace = 'http://schemas.xmlsoap.org/encoding/';

/** The attribute that `userControllable: true` allows. */
export const userControllableAttribute = 'UserControllable';

const bool = { kind: 'boolean' } as const;
const text = { kind: 'string' } as const;
const oneOf = (...values: string[]): ValueType => ({ kind: 'enum', values });
const range = (min: number, max: number): ValueType => ({ kind: 'int', min, max });

/**
 * Every spec has every field, in one order (undefined where absent): validation reads them for
 * each element of a profile, 100,000 times in a large one, and specs of one shape keep those
 * reads on V8's fast path (specs of twenty shapes made each read a lookup).
 */
function el(name: string, doc: string, spec: Omit<ElementSpec, 'name' | 'doc'> = {}): ElementSpec {
  return {
    name,
    doc,
    value: spec.value,
    default: spec.default,
    userControllable: spec.userControllable,
    attributes: spec.attributes,
    children: spec.children,
    order: spec.order,
    repeats: spec.repeats,
    required: spec.required,
    opaque: spec.opaque,
    dialect: spec.dialect,
    ciscoNote: spec.ciscoNote,
    outlineName: spec.outlineName,
    since: spec.since,
  };
}

/** A yes/no preference with the UserControllable attribute. */
function ucBool(name: string, doc: string, defaultValue = 'false'): ElementSpec {
  return el(name, doc, { value: bool, default: defaultValue, userControllable: true });
}

const hostAddressList = (name: string, doc: string): ElementSpec =>
  el(name, doc, { children: [el('HostAddress', 'A server address (FQDN or IP).', { value: text, repeats: true })] });

const logonEnforcement = oneOf('SingleLogon', 'SingleLocalLogon', 'SingleLogonNoRemote');
const vpnEstablishment = oneOf('LocalUsersOnly', 'AllowRemoteUsers');

const clientInitialization: ElementSpec = el('ClientInitialization', 'Client-wide preferences.', {
  children: [
    ucBool('UseStartBeforeLogon', 'Start the VPN before Windows logon (Start Before Logon).'),
    ucBool('AutomaticCertSelection', 'Select the authentication certificate without asking.', 'true'),
    el('ShowPreConnectMessage', 'Show the administrator message before connecting.', { value: bool, default: 'false' }),
    el('CertificateStore', 'Windows certificate stores searched.', { value: oneOf('All', 'Machine', 'User'), default: 'All' }),
    el('CertificateStoreMac', 'macOS keychains searched.', { value: oneOf('All', 'System', 'Login'), default: 'All' }),
    // Not in 4.10's XSD; Secure Client 5's Profile Editor writes it here, right after CertificateStoreMac.
    el('CertificateStoreLinux', 'Linux certificate stores searched.', {
      value: oneOf('All', 'Machine', 'User'),
      default: 'All',
      since: 'Secure Client 5',
    }),
    el('CertificateStoreOverride', 'Let the machine store be used without administrator rights.', { value: bool, default: 'false' }),
    el('ProxySettings', 'How the client uses the system proxy.', {
      value: oneOf('Native', 'IgnoreProxy', 'Override'),
      default: 'Native',
      userControllable: true,
      children: [el('PublicProxyServerAddress', 'Proxy address used with Override.', { value: text, userControllable: true })],
    }),
    el('AllowLocalProxyConnections', 'Allow connections through a proxy on this machine.', { value: bool, default: 'true' }),
    ucBool('AutoConnectOnStart', 'Connect when the client starts.'),
    ucBool('MinimizeOnConnect', 'Minimize the window once connected.', 'true'),
    ucBool('LocalLanAccess', 'Allow access to the local LAN while connected.'),
    ucBool('DisableCaptivePortalDetection', 'Do not detect captive portals.'),
    ucBool('ClearSmartcardPin', 'Clear the smart card PIN after connecting.', 'true'),
    ucBool('SafeWordSofTokenIntegration', 'Use SafeWord SofToken authentication.'),
    el('AutoReconnect', 'Reconnect after a loss of connectivity.', {
      value: bool,
      default: 'true',
      userControllable: true,
      children: [
        el('AutoReconnectBehavior', 'What happens to the session across suspend.', {
          value: oneOf('DisconnectOnSuspend', 'ReconnectAfterResume'),
          default: 'ReconnectAfterResume',
          userControllable: true,
        }),
      ],
    }),
    el('SuspendOnConnectedStandby', 'Suspend the tunnel in Windows connected standby.', { value: bool, default: 'false' }),
    ucBool('AutoUpdate', 'Let the gateway update the client.', 'true'),
    el('RSASecurIDIntegration', 'How RSA SecurID tokens are used.', {
      value: oneOf('Automatic', 'SoftwareToken', 'HardwareToken'),
      default: 'Automatic',
      userControllable: true,
    }),
    el('WindowsLogonEnforcement', 'Who may be logged on to Windows while connected.', {
      value: logonEnforcement,
      default: 'SingleLocalLogon',
    }),
    el('LinuxLogonEnforcement', 'Who may be logged on to Linux while connected.', { value: logonEnforcement, default: 'SingleLocalLogon' }),
    el('WindowsVPNEstablishment', 'Who may establish the VPN on Windows.', { value: vpnEstablishment, default: 'LocalUsersOnly' }),
    el('LinuxVPNEstablishment', 'Who may establish the VPN on Linux.', { value: vpnEstablishment, default: 'LocalUsersOnly' }),
    el('RetainVpnOnLogoff', 'Keep the VPN up after the user logs off.', {
      value: bool,
      default: 'false',
      children: [
        el('UserEnforcement', 'Which user may take over the retained session.', {
          value: oneOf('SameUserOnly', 'AnyUser'),
          default: 'SameUserOnly',
        }),
      ],
    }),
    el('AutomaticVPNPolicy', 'Trusted Network Detection: connect or disconnect by network.', {
      value: bool,
      default: 'false',
      children: [
        el('TrustedDNSDomains', 'DNS suffixes of trusted networks, comma-separated.', { value: text }),
        el('TrustedDNSServers', 'DNS servers of trusted networks, comma-separated.', { value: text }),
        el('TrustedHttpsServerList', 'HTTPS servers reachable only on trusted networks.', { opaque: true }),
        el('TrustedNetworkPolicy', 'What to do on a trusted network.', {
          value: oneOf('Connect', 'Pause', 'Disconnect', 'DoNothing'),
          default: 'Disconnect',
        }),
        el('UntrustedNetworkPolicy', 'What to do on an untrusted network.', { value: oneOf('Connect', 'DoNothing'), default: 'Connect' }),
        el('AlwaysOn', 'Always-on VPN and its exceptions.', { value: bool, opaque: true, default: 'false' }),
      ],
    }),
    el('PPPExclusion', 'Exclude the PPP server from the tunnel.', {
      value: oneOf('Automatic', 'Disable', 'Override'),
      default: 'Disable',
      userControllable: true,
      children: [el('PPPExclusionServerIP', 'PPP server address used with Override.', { value: text, userControllable: true })],
    }),
    el('EnableAutomaticServerSelection', 'Pick the gateway with the best response time.', {
      value: bool,
      default: 'false',
      userControllable: true,
      children: [
        el('AutoServerSelectionImprovement', 'Percent improvement needed to switch servers.', { value: range(10, 100), default: '20' }),
        el('AutoServerSelectionSuspendTime', 'Hours suspended before a new selection.', { value: range(1, 100), default: '4' }),
      ],
    }),
    el('AuthenticationTimeout', 'Seconds to wait for authentication.', { value: range(10, 120), default: '12' }),
    el('AllowIPsecOverSSL', 'Allow IPsec to fall back to SSL.', { value: bool, default: 'false' }),
    el('ServiceDisable', 'Disable the VPN service.', { value: bool, default: 'false' }),
    el('AllowManualHostInput', 'Let the user type a server address.', { value: bool, default: 'true' }),
    el('CaptivePortalRemediationBrowserFailover', 'Use an external browser for captive portals.', { value: bool, default: 'false' }),
    el('IPProtocolSupport', 'IP versions tunnelled, in order of preference.', {
      value: oneOf('IPv4', 'IPv6', 'IPv4,IPv6', 'IPv6,IPv4'),
      default: 'IPv4,IPv6',
    }),
    el('EnableScripting', 'Run OnConnect / OnDisconnect scripts. Off unless true.', {
      value: bool,
      default: 'false',
      userControllable: true,
      order: 'sequence',
      children: [
        el('TerminateScriptOnNextEvent', 'Kill a still-running script when the next VPN event fires.', { value: bool, default: 'false' }),
        el('EnablePostSBLOnConnectScript', 'Run the OnConnect script after Start Before Logon.', { value: bool, default: 'true' }),
      ],
    }),
    el('CertificatePinning', 'Pins for server certificates (not checked inside by Hooksmith).', { value: bool, opaque: true }),
    el('CertificateMatch', 'Criteria for choosing the client certificate (not checked inside by Hooksmith).', { opaque: true }),
    hostAddressList('BackupServerList', 'Servers tried when the chosen one fails (global list).'),
    el('MobilePolicy', 'Mobile device policy (not checked inside by Hooksmith).', { opaque: true }),
    el('CertificateEnrollment', 'SCEP certificate enrollment (not checked inside by Hooksmith).', { opaque: true }),
    el('DeviceLockRequired', 'Require a device lock on mobile devices (not checked inside by Hooksmith).', { value: bool, opaque: true }),
    el('OnConnectScript', "Seed dialect: the script the seed's executor runs on connect.", {
      value: { kind: 'script', event: 'OnConnect' },
      dialect: 'seed',
      ciscoNote: "Cisco's client ignores OnConnectScript: it runs the first file whose name starts with OnConnect in its script folder.",
    }),
    el('OnDisconnectScript', "Seed dialect: the script the seed's executor runs on disconnect.", {
      value: { kind: 'script', event: 'OnDisconnect' },
      dialect: 'seed',
      ciscoNote:
        "Cisco's client ignores OnDisconnectScript: it runs the first file whose name starts with OnDisconnect in its script folder.",
    }),
    el('TerminateScriptOnNextEvent', 'Seed dialect: kill a still-running script when the next event fires.', {
      value: bool,
      default: 'false',
      dialect: 'seed',
      ciscoNote: "Cisco's client reads TerminateScriptOnNextEvent only inside EnableScripting.",
    }),
  ],
});

const hostEntry: ElementSpec = el('HostEntry', 'One gateway the user can pick.', {
  repeats: true,
  outlineName: 'HostName',
  required: true,
  order: 'sequence',
  children: [
    el('HostName', 'The name shown to the user.', { value: text, required: true }),
    el('HostAddress', 'The gateway address (FQDN or IP), if it differs from HostName.', { value: text }),
    el('UserGroup', 'The tunnel group (connection profile) to use.', { value: text }),
    hostAddressList('BackupServerList', 'Servers tried when this one fails.'),
    hostAddressList('LoadBalancingServerList', 'Servers of a load-balancing cluster.'),
    el('AutomaticSCEPHost', 'Host and group for automatic SCEP enrollment.', { value: text }),
    el('CAURL', 'SCEP certificate authority URL.', { value: text, attributes: ['PromptForChallengePW', 'Thumbprint'] }),
    el('MobileHostEntryInfo', 'Mobile-only settings (not checked inside by Hooksmith).', { opaque: true }),
    el('PrimaryProtocol', 'Tunnel protocol for this gateway.', {
      value: oneOf('SSL', 'IPsec'),
      default: 'SSL',
      children: [
        el('StandardAuthenticationOnly', 'IPsec with standard (not aggregate) authentication.', {
          value: bool,
          opaque: true,
          default: 'false',
        }),
      ],
    }),
    el('CertificatePinList', 'Certificate pins for this gateway (not checked inside by Hooksmith).', { opaque: true }),
  ],
});

export const profileRoot: ElementSpec = el('AnyConnectProfile', 'An AnyConnect / Secure Client VPN profile.', {
  attributes: ['xmlns', 'xmlns:xsi', 'xsi:schemaLocation'],
  order: 'sequence',
  children: [clientInitialization, el('ServerList', 'The gateways offered to the user.', { children: [hostEntry] })],
});

/** Names seen in published profiles that are in no AnyConnect schema: copied from ocserv's sample profile. */
export const ocservSampleStrays: ReadonlySet<string> = new Set([
  'StrictCertificateTrust',
  'RestrictPreferenceCaching',
  'RestrictTunnelProtocols',
  'BypassDownloader',
  'CertEnrollmentPin',
]);

export interface SpecPath {
  readonly spec: ElementSpec;
  readonly parents: readonly ElementSpec[];
}

let places: Map<string, SpecPath[]> | undefined;

/**
 * Every place an element name is allowed, for "belongs inside ..." hints (indexed once: a profile may hold thousands of unknown elements).
 */
export function placesOf(name: string): readonly SpecPath[] {
  if (!places) {
    const index = new Map<string, SpecPath[]>();
    const walk = (spec: ElementSpec, parents: ElementSpec[]): void => {
      index.set(spec.name, [...(index.get(spec.name) ?? []), { spec, parents }]);
      for (const child of spec.children ?? []) walk(child, [...parents, spec]);
    };
    walk(profileRoot, []);
    places = index;
  }
  return places.get(name) ?? [];
}

const childIndex = new WeakMap<ElementSpec, Map<string, ElementSpec>>();

/** The spec of `name` as a child of `parent`; indexed once per parent (validation calls this per element). */
export function childSpec(parent: ElementSpec, name: string): ElementSpec | undefined {
  let index = childIndex.get(parent);
  if (!index) {
    index = new Map((parent.children ?? []).map((c) => [c.name, c]));
    childIndex.set(parent, index);
  }
  return index.get(name);
}

export function describeType(type: ValueType): string {
  switch (type.kind) {
    case 'boolean':
      return 'true or false';
    case 'enum':
      return type.values.join(', ');
    case 'int':
      return `a whole number from ${type.min} to ${type.max}`;
    case 'string':
      return 'text';
    case 'script':
      return `a script file name like ${type.event}_<name>.<ext>`;
  }
}
