/**
 * The shell and Perl programs the sandbox runs. They are passed as arguments (`sh -c`, `perl -e`),
 * never written where a hook could change them, and read their inputs from their environment and
 * arguments: no value is ever pasted into their text.
 */

/**
 * Runs as root of a fresh user namespace, in fresh mount, PID, IPC and UTS namespaces (made by
 * bubblewrap or unshare), seeing the host's files. Builds the hook's root: every top-level folder
 * of / as a copy-on-write overlay whose upper layer is on a size-limited tmpfs, a private /tmp and
 * HOME, a minimal /dev, /proc with the machine-wide knobs read-only, the hook's folders bound
 * read-only and the run's own folders bound writable. Then it pivots into that root, forgets the
 * old one, and becomes the holder: a nested user namespace (every mount above is locked there, so
 * the hook cannot unmount or remount them) with a new network namespace holding loopback, the
 * family's tunnel device and a default route that leads nowhere.
 */
export const setupScript = String.raw`
set -eu
S=$SBX_SCRATCH
mount -t tmpfs -o "size=$SBX_SCRATCH_MB"m,mode=755 hooksmith-scratch "$S"
mkdir "$S/upper" "$S/work" "$S/root" "$S/tmp" "$S/home"
chmod 1777 "$S/tmp"
R=$S/root
mount -t tmpfs -o mode=755 hooksmith-root "$R"
for e in /*; do
  n=$(basename "$e")
  if [ -L "$e" ]; then ln -s "$(readlink "$e")" "$R/$n"; continue; fi
  [ -d "$e" ] || continue
  mkdir "$R/$n"
  case $n in proc|dev|sys|tmp) continue;; esac
  mkdir "$S/upper/$n" "$S/work/$n"
  mount -t overlay hooksmith-overlay -o "userxattr,lowerdir=$e,upperdir=$S/upper/$n,workdir=$S/work/$n" "$R/$n" 2>/dev/null ||
    echo "skipped /$n"
done
mount --bind "$S/tmp" "$R/tmp"
mkdir -p "$R$SBX_HOME"
mount --bind "$S/home" "$R$SBX_HOME"
mount -t tmpfs -o mode=755 hooksmith-dev "$R/dev"
for d in null zero full random urandom tty; do touch "$R/dev/$d"; mount --bind "/dev/$d" "$R/dev/$d"; done
mkdir "$R/dev/net" "$R/dev/shm" "$R/dev/pts"
touch "$R/dev/net/tun"; mount --bind /dev/net/tun "$R/dev/net/tun"
ln -s /proc/self/fd "$R/dev/fd"
mount --rbind /proc "$R/proc"
if [ -e "$R/proc/sysrq-trigger" ]; then mount --bind /dev/null "$R/proc/sysrq-trigger"; fi
mount --bind "$R/proc/sys" "$R/proc/sys"; mount -o remount,bind,ro "$R/proc/sys"
mount --bind "$R/proc/sys/net" "$R/proc/sys/net"; mount -o remount,bind,rw "$R/proc/sys/net"
bind() {
  if [ -d "$2" ]; then mkdir -p "$R$2"; else mkdir -p "$R$(dirname "$2")"; [ -e "$R$2" ] || touch "$R$2"; fi
  mount --bind "$2" "$R$2"
  if [ "$1" = ro ]; then mount -o remount,bind,ro "$R$2"; fi
}
printf '%s\n' "$SBX_READONLY" | while IFS= read -r p; do [ -z "$p" ] || bind ro "$p"; done
printf '%s\n' "$SBX_WRITABLE" | while IFS= read -r p; do [ -z "$p" ] || bind rw "$p"; done
mkdir "$R/.hooksmith"
mount --bind "$S" "$R/.hooksmith"; mount -o remount,bind,ro "$R/.hooksmith"
cd "$R"
mkdir .old
pivot_root . .old
umount -l /.old
rmdir /.old
cd /
exec unshare --user --map-root-user --mount --net -- sh -c '
set -eu
ip link set lo up
if [ -n "$SBX_DEVICE" ]; then
  ip tuntap add dev "$SBX_DEVICE" mode tun
  for a in $SBX_ADDRESSES; do ip addr add "$a" dev "$SBX_DEVICE"; done
  ip link set "$SBX_DEVICE" up
fi
ip route add unreachable default
ip -6 route add unreachable default 2>/dev/null || true
echo hooksmith-sandbox-ready
exec sleep 2147483647
'
`;

/**
 * Started through nsenter inside the holder's namespaces (not yet in its PID namespace): forks the
 * hook into the PID namespace with the signals the runner sends back to their defaults, the
 * environment from its arguments (nothing inherited), then waits and ends the way the hook ended
 * (the same exit status, or the same signal), so the run reports exactly what the hook did.
 * Arguments: the working folder, count of NAME=VALUE, the NAME=VALUEs, argv0, file, args.
 */
export const waiterScript = String.raw`
my $cwd = shift @ARGV; my $n = shift @ARGV; my @env = splice(@ARGV, 0, $n); my $argv0 = shift @ARGV;
my $pid = fork();
die "fork: $!" unless defined $pid;
if ($pid == 0) {
  %ENV = ();
  for (@env) { my ($k, $v) = split /=/, $_, 2; $ENV{$k} = $v; }
  $SIG{TERM} = 'DEFAULT'; $SIG{INT} = 'DEFAULT'; $SIG{HUP} = 'DEFAULT';
  chdir($cwd) or do { print STDERR "hooksmith: cannot enter $cwd: $!
"; exit 127 };
  exec { $ARGV[0] } $argv0, @ARGV[1 .. $#ARGV] or do { print STDERR "hooksmith: cannot run $ARGV[0]: $!\n"; exit 127 };
}
waitpid($pid, 0);
my $status = $?;
if ($status & 127) { $SIG{$_} = 'DEFAULT' for qw(TERM INT HUP); kill($status & 127, $$); sleep 1; exit 128 + ($status & 127); }
exit($status >> 8);
`;

/** Prints the state a hook can change, in sections, from inside the sandbox's namespaces. */
export const probeScript = String.raw`
section() { echo "@@hooksmith $1"; }
section links; ip -o link show | sed -e 's/^[0-9]*: //' -e 's/ qlen [0-9]*//' | awk '{print $1, $2}'
section addresses; ip -o addr show | awk '{print $2, $3, $4}'
section routes; ip route show table all; ip -6 route show table all
section rules; ip rule show; ip -6 rule show
zero_counters() { grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'; }
if command -v iptables-save >/dev/null 2>&1; then section iptables; iptables-save 2>/dev/null | zero_counters; fi
if command -v ip6tables-save >/dev/null 2>&1; then section ip6tables; ip6tables-save 2>/dev/null | zero_counters; fi
if command -v nft >/dev/null 2>&1; then section nft; nft list ruleset 2>/dev/null; fi
section sysctls; grep -r '' /proc/sys/net/ipv4 /proc/sys/net/ipv6 2>/dev/null |
  grep -v -e '/neigh/' -e 'base_reachable_time' -e '/route/gc_' | sed 's|^/proc/sys/||; s|/|.|g; s|:| = |'
section files; cd /.hooksmith && find upper tmp home -xdev -mindepth 1 \( -type c -printf 'whiteout %p\n' \) -o \
  \( ! -type d -printf 'file %p\n' \) -o \( -type d -empty -printf 'dir %p\n' \) 2>/dev/null; true
`;
