/** OpenVPN 2.6's options as a config file writes them (the man page's, without the leading --): others are reported as unknown. */
export const knownDirectives: ReadonlySet<string> = new Set(
  (
    'allow-compression allow-pull-fqdn allow-recursive-routing askpass auth auth-gen-token auth-gen-token-secret auth-nocache ' +
    'auth-retry auth-token auth-token-user auth-user-pass auth-user-pass-optional auth-user-pass-verify bcast-domain bind ' +
    'block-ipv6 block-outside-dns ca capath ccd-exclusive cd cert chroot cipher client client-cert-not-required client-config-dir ' +
    'client-connect client-crresponse client-disconnect client-nat client-to-client comp-lzo comp-noadapt compat-mode compress ' +
    'connect-freq connect-freq-initial connect-retry connect-retry-max connect-timeout connection crl-verify cryptoapicert daemon ' +
    'data-ciphers data-ciphers-fallback dev dev-node dev-type dh dhcp-option dhcp-release dhcp-renew disable disable-dco ' +
    'disable-occ dns dns-updown down down-pre duplicate-cn ecdh-curve echo engine errors-to-stderr explicit-exit-notify ' +
    'extra-certs fast-io float force-tls-key-material-export fragment genkey group hand-window hash-size http-proxy ' +
    'http-proxy-option http-proxy-user-pass ifconfig ifconfig-ipv6 ifconfig-ipv6-pool ifconfig-ipv6-push ifconfig-noexec ' +
    'ifconfig-nowarn ifconfig-pool ifconfig-pool-persist ifconfig-push ifconfig-push-constraint ignore-unknown-option inactive ' +
    'inetd ip-remote-hint ip-win32 ipchange iproute iroute iroute-ipv6 keepalive key key-direction key-method keying-material-exporter ' +
    'keysize learn-address link-mtu lladdr local log log-append lport machine-readable-output management management-client ' +
    'management-client-auth management-client-group management-client-user management-external-cert management-external-key ' +
    'management-forget-disconnect management-hold management-log-cache management-query-passwords management-query-proxy ' +
    'management-query-remote management-signal management-up-down max-clients max-routes max-routes-per-client mktun mlock mode ' +
    'mssfix mtu-disc mtu-test multihome mute mute-replay-warnings ncp-ciphers ncp-disable nice nobind ns-cert-type opt-verify ' +
    'persist-key persist-local-ip persist-remote-ip persist-tun ping ping-exit ping-restart ping-timer-rem pkcs11-cert-private ' +
    'pkcs11-id pkcs11-id-management pkcs11-pin-cache pkcs11-private-mode pkcs11-protected-authentication pkcs11-providers ' +
    'peer-fingerprint pkcs12 plugin port port-share preresolve prng proto proto-force pull pull-filter push push-continuation ' +
    'push-peer-info ' +
    'push-remove push-reset providers rcvbuf redirect-gateway redirect-private register-dns remap-usr1 remote remote-cert-eku ' +
    'remote-cert-ku remote-cert-tls remote-random remote-random-hostname replay-persist replay-window reneg-bytes reneg-pkts ' +
    'reneg-sec resolv-retry rmtun route route-delay route-gateway route-ipv6 route-ipv6-gateway route-method route-metric ' +
    'route-noexec route-nopull route-pre-down route-up rport script-security secret server server-bridge server-ipv6 ' +
    'server-poll-timeout session-timeout setcon setenv setenv-safe shaper show-adapters show-ciphers show-curves show-digests ' +
    'show-engines show-gateway show-groups show-net show-net-up show-pkcs11-ids show-proxy-settings show-tls show-valid-subnets ' +
    'single-session sndbuf socket-flags socks-proxy stale-routes-check static-challenge status status-version suppress-timestamps ' +
    'syslog tap-sleep tcp-nodelay tcp-queue-limit test-crypto tls-auth tls-cert-profile tls-cipher tls-ciphersuites tls-client ' +
    'tls-crypt tls-crypt-v2 tls-crypt-v2-verify tls-exit tls-export-cert tls-groups tls-server tls-timeout tls-verify ' +
    'tls-version-max tls-version-min tmp-dir topology tran-window tun-ipv6 tun-max-mtu tun-mtu tun-mtu-extra txqueuelen up ' +
    'up-delay up-restart use-prediction-resistance user username-as-common-name verb verify-client-cert verify-hash ' +
    'verify-x509-name vlan-accept vlan-pvid vlan-tagging win-sys writepid x509-track x509-username-field'
  ).split(' '),
);

/** Inline blocks a config may hold (<ca>...</ca>): the file options given in place. */
export const inlineTags: ReadonlySet<string> = new Set([
  'ca',
  'cert',
  'key',
  'dh',
  'extra-certs',
  'pkcs12',
  'secret',
  'tls-auth',
  'tls-crypt',
  'tls-crypt-v2',
  'crl-verify',
  'http-proxy-user-pass',
  'auth-user-pass',
  'connection',
  'peer-fingerprint',
]);
