/**
 * The Perl programs the sandbox runs. They are passed as arguments (`perl -e`),
 * never written where a hook could change them, and read their inputs from their environment and
 * arguments: no value is ever pasted into their text.
 */

/**
 * Linux system call numbers the Perl programs below make directly (Perl has no mount(2)): one
 * process doing the syscalls instead of a shell forking mount, mkdir and ip dozens of times (that
 * cost most of the sandbox's start-up), and a waiter that enters the namespaces and sets the limits
 * itself instead of through nsenter and prlimit. Passed as SBX_SYSCALLS: mount umount2 pivot_root
 * unshare setrlimit setns inotify_init1 inotify_add_watch prctl.
 */
export const syscallNumbers: Readonly<Record<string, readonly number[]>> = {
  x64: [165, 166, 155, 272, 160, 308, 294, 254, 157],
  arm64: [40, 39, 41, 97, 164, 268, 26, 27, 167],
  riscv64: [40, 39, 41, 97, 164, 268, 26, 27, 167],
  loong64: [40, 39, 41, 97, 164, 268, 26, 27, 167],
  ppc64: [21, 52, 203, 282, 75, 350, 318, 276, 171],
  s390x: [21, 52, 217, 303, 75, 339, 324, 285, 172],
};

/**
 * The tun device's ioctls (TUNSETIFF, TUNSETPERSIST), in hex: _IOW('T', 202 and 203, int), whose
 * encoding differs on powerpc. Passed as SBX_IOCTLS.
 */
export const tunIoctls: Readonly<Record<string, string>> = {
  x64: '400454ca 400454cb',
  arm64: '400454ca 400454cb',
  riscv64: '400454ca 400454cb',
  loong64: '400454ca 400454cb',
  ppc64: '800454ca 800454cb',
  s390x: '400454ca 400454cb',
};

/** The name of a run's init, the first process of the run's own PID namespace (see waiterScript). */
export const runInitName = 'hooksmith-run-init';

/** The holder's process name (its argv): tests and the bench find sandboxes by it. */
export const holderName = 'hooksmith-sandbox-holder';

/**
 * Shared by the Perl programs: the system calls by number, with errors that name what failed. No
 * module is loaded (strict, constant and warnings cost a start-up several milliseconds to find and compile).
 */
const perlSyscalls = String.raw`
my ($SYS_MOUNT, $SYS_UMOUNT2, $SYS_PIVOT, $SYS_UNSHARE, $SYS_SETRLIMIT, $SYS_SETNS, $SYS_INOTIFY_INIT1, $SYS_INOTIFY_ADD_WATCH,
  $SYS_PRCTL) = map { $_ + 0 } split / /, $ENV{SBX_SYSCALLS};
# syscall() passes a number as an integer and anything else as a pointer to a modifiable string.
sub str { my $s = shift; return defined $s ? "$s" : 0 }
sub mnt { my ($src, $dst, $type, $flags, $data) = @_; my @a = (str($src), str($dst), str($type), $flags + 0, str($data));
  syscall($SYS_MOUNT, @a) == 0 or die "mount $dst: $!\n" }
`;

/**
 * Runs as root of a fresh user namespace, in fresh mount, PID, IPC and UTS namespaces (made by
 * bubblewrap or unshare), seeing the host's files. A child makes nested user namespaces with a new
 * network namespace holding loopback, the family's tunnel device and a default route that leads
 * nowhere (one `ip -batch`); another builds the hook's root (see build_root): every top-level folder
 * of / as a copy-on-write overlay whose upper layer is on a size-limited tmpfs, a private /tmp and
 * HOME, a minimal /dev, /proc with the machine-wide knobs read-only, the hook's folders bound
 * read-only. Meanwhile this process enters the network and takes its first look at it (see first_look).
 * Then it becomes the holder: it pivots into that root in a mount namespace of its own, forgets the
 * old one, and joins those user namespaces (every mount above is locked there, so the hook cannot
 * unmount or remount them) and the network. The sandbox is then ready, and may wait as a spare: the
 * root's builder, which still sees the host, stays to bind the folders that are the simulation's own
 * (the run's writable folders, its record channel's) when it is handed out (see claim below), and
 * ends; the holder then makes the hooks' mount namespace, where those are locked too.
 */
export const setupScript = String.raw`
$| = 1;
sub RDONLY () { 1 } sub NOSUID () { 2 } sub NODEV () { 4 } sub NOEXEC () { 8 } sub REMOUNT () { 32 } sub NOATIME () { 1024 }
sub NODIRATIME () { 2048 } sub BIND () { 4096 } sub MOVE () { 8192 } sub REC () { 16384 } sub PRIVATE () { 1 << 18 }
sub SLAVE () { 1 << 19 } sub SHARED () { 1 << 20 } sub RELATIME () { 1 << 21 } sub STRICTATIME () { 1 << 24 }
my %locked = (nosuid => NOSUID, nodev => NODEV, noexec => NOEXEC, noatime => NOATIME,
  nodiratime => NODIRATIME, relatime => RELATIME, strictatime => STRICTATIME);
sub mkdirs { my $p = ''; for (grep { length } split m{/}, shift) { $p .= "/$_"; -d $p or mkdir $p or die "mkdir $p: $!\n" } }
sub touch { my $f = shift; return if -e $f; open(my $fh, '>', $f) or die "create $f: $!\n"; close $fh }
sub bindm { my ($src, $dst, $flags) = @_; mnt($src, $dst, undef, BIND | ($flags // 0)) }
# The mounts of this namespace, from mountinfo: where each is (its fifth field, \ooo escapes undone) and its options.
sub mounts { open(my $mi, '<', '/proc/self/mountinfo') or die "mountinfo: $!\n";
  return map { my @f = split / /; (my $at = $f[4]) =~ s/\\([0-7]{3})/chr(oct($1))/ge; [$at, $f[5]] } <$mi> }
# A bind remount keeps the flags the kernel locked (nosuid, nodev, the atime mode): read them from mountinfo.
sub remount { my ($dst, $ro) = @_; my $flags = 0;
  for my $m (grep { $_->[0] eq $dst } mounts()) { $flags = 0; $flags |= $locked{$_} // 0 for split /,/, $m->[1] }
  mnt(undef, $dst, undef, REMOUNT | BIND | $flags | ($ro ? RDONLY : 0)) }
# A host folder the hooks read is shown through a read-only overlay, not a bind: the kernel connects no unix socket
# through an overlay, so a host daemon's socket in it is not reachable (a bind would reach it, even read-only). Its
# FIFOs (the shims' record channel) are bound one by one: through an overlay a FIFO is a pipe of its own. $at: where
# the mount is made (by default at its place in the root; a claim makes it aside, then moves it there whole).
sub place { my ($mode, $p, $R, $at) = @_;
  if (-d $p) { mkdirs("$R$p") } else { return if -S $p; (my $d = $p) =~ s{/[^/]*$}{}; mkdirs("$R$d"); touch("$R$p") }
  $at //= "$R$p";
  if ($mode eq 'ro' && -d $p) {
    (my $lower = $p) =~ s/([\\:,])/\\$1/g;
    if (eval { mnt('hooksmith-readonly', $at, 'overlay', 0, "userxattr,lowerdir=$lower:$ENV{SBX_SCRATCH}/empty"); 1 }) {
      opendir(my $dh, $p) or return;
      for (grep { -p "$p/$_" } readdir $dh) { bindm("$p/$_", "$at/$_") }
      return;
    }
  }
  bindm($p, $at); remount($at, 1) if $mode eq 'ro' }

# The network, made while the root is built: a child makes the hooks' user namespaces (the holder's, then the hooks'
# own, which owns a new network namespace) and sets that network up (see setup_network), then waits for the holder to
# join them and end it (see join_network). Its "ok" says the network is ready; its end before that, that it failed (on
# stderr).
my $dev = $ENV{SBX_DEVICE};
my @ip = ('link set lo up');
if (length $dev) {
  die "bad device name $dev\n" unless $dev =~ /^[A-Za-z0-9_.:-]{1,15}$/;
  for (split ' ', $ENV{SBX_ADDRESSES}) { die "bad address $_\n" unless m{^[0-9A-Fa-f.:]+(/[0-9]+)?$}; push @ip, "addr add $_ dev $dev" }
  push @ip, "link set $dev up";
  for (split ' ', $ENV{SBX_ROUTES}) { die "bad route $_\n" unless m{^[0-9A-Fa-f.:]+(/[0-9]+)?$}; push @ip, "route add $_ dev $dev" }
}
push @ip, 'route add unreachable default';
push @ip, 'route add unreachable ::/0' if -e '/proc/sys/net/ipv6/conf/lo';
pipe(my $netSaid, my $netSays) or die "pipe: $!\n";
my $networker = fork() // die "fork: $!\n";
if (!$networker) {
  close $netSaid;
  open(STDOUT, '>', '/dev/null'); # the runner reads the holder's output: this process says nothing there
  own_user(0);
  own_user(0x40000000);
  setup_network(@ip);
  syswrite($netSays, "ok\n");
  1 while sleep 3600;
}
close $netSays;
my ($hooksUser, $net); # the network's namespaces (see enter_network)
my $S = $ENV{SBX_SCRATCH};
my $R = "$S/root";
# The root is built by a child (see build_root) while this process takes its first look at the sandbox's network (see
# first_look): the two take about as long, and the first probe then costs a request only the files' walk. The child
# shares this mount namespace (its mounts are this one's) until the pivot below, and stays as the claim's process, which
# keeps this machine's view (the holder pivots away from it) until the sandbox is handed out.
pipe(my $builtSaid, my $builtSays) or die "pipe: $!\n";
pipe(my $goRead, my $goWrite) or die "pipe: $!\n";
my $claimer = fork() // die "fork: $!\n";
if (!$claimer) {
  close $_ for $netSaid, $builtSaid, $goRead;
  build_root();
  syswrite($builtSays, "ok\n") or die "built: $!\n";
  close $builtSays;
  $0 = 'hooksmith-claim';
  claim();
  exit 0;
}
close $builtSays;
close $goWrite;
enter_network();
first_look();
my $built = readline($builtSaid);
die "the sandbox's root could not be built\n" unless defined $built && $built eq "ok\n";
close $builtSaid;
# A mount namespace of its own to pivot in.
syscall($SYS_UNSHARE, 0x00020000) == 0 or die "unshare (mount): $!\n";
chdir $R or die "chdir: $!\n";
mkdir '.old';
syscall($SYS_PIVOT, my $new = '.', my $old = '.old') == 0 or die "pivot_root: $!\n";
syscall($SYS_UMOUNT2, my $gone = '/.old', 2) == 0 or die "umount /.old: $!\n";
rmdir '/.old'; chdir '/';
# Enters the sandbox's network namespace as soon as the network is set up (see the child above): this process, root
# of the user namespace that owns the network's, may. Its user namespaces are joined after the pivot (see join_network).
sub enter_network {
  my $said = readline($netSaid);
  die "the network set-up failed\n" unless defined $said && $said eq "ok\n";
  close $netSaid;
  open($hooksUser, '<', "/proc/$networker/ns/user") or die "the network's user namespace: $!\n";
  open($net, '<', "/proc/$networker/ns/net") or die "the network namespace: $!\n";
  syscall($SYS_SETNS, fileno($net), 0x40000000) == 0 or die "setns (network): $!\n";
  # Its namespaces held here, the network's set-up process has done its part: it dies while the first look goes on
  # (reaped by join_network), so nothing of the set-up is left in the sandbox's PID namespace.
  kill 'KILL', $networker;
}
# The holder's own namespaces: a user namespace (locks the mounts above) with a mount namespace, which receives the
# claim's mounts; in it another user namespace, the hooks', owning the network namespace. Handed out, the holder makes
# the hooks' mount namespace, owned by theirs: every mount is locked there, the claim's too (a mount a propagation
# brings is not locked at the top of what it brings, a copy into a less privileged namespace locks all). Joins them: the
# holder's user namespace, with a mount namespace of its own made there (which locks every mount above), then the hooks'
# user namespace and its network again (its news sockets and held sysctls, opened by the first look, stay the network's).
sub join_network {
  my $parent = ioctl($hooksUser, 0xb702, 0); # NS_GET_PARENT: the holder's user namespace
  open(my $holderUser, '<&=', ($parent // -1) + 0) or die "the holder's user namespace: $!\n";
  syscall($SYS_SETNS, fileno($holderUser), 0x10000000) == 0 or die "setns (the holder's user namespace): $!\n";
  syscall($SYS_UNSHARE, 0x00020000) == 0 or die "unshare (mount): $!\n";
  mnt(undef, '/', undef, REC | SLAVE);
  syscall($SYS_SETNS, fileno($hooksUser), 0x10000000) == 0 or die "setns (the hooks' user namespace): $!\n";
  syscall($SYS_SETNS, fileno($net), 0x40000000) == 0 or die "setns (network): $!\n";
  close $hooksUser; close $net;
  waitpid($networker, 0);
}
# Builds the hooks' root under $R, with its scratch layer at $S (see above).
sub build_root {
  mnt('hooksmith-scratch', $S, 'tmpfs', 0, "size=$ENV{SBX_SCRATCH_MB}m,mode=755");
  mkdir "$S/$_" or die "mkdir $S/$_: $!\n" for qw(upper work root tmp home run run/lock empty stage proc);
  chmod 01777, "$S/run/lock";
  symlink('/dev/shm', "$S/run/shm");
  chmod 01777, "$S/tmp";
  mnt('hooksmith-root', $R, 'tmpfs', 0, 'mode=755');
  opendir(my $top, '/') or die "/: $!\n";
  my @points = map { $_->[0] } mounts();
  for my $n (sort grep { !/^\./ } readdir $top) {
    my $e = "/$n";
    if (-l $e) { symlink(readlink($e), "$R/$n") or die "symlink $n: $!\n"; next }
    next unless -d $e;
    mkdir "$R/$n" or die "mkdir $R/$n: $!\n";
    next if $n =~ /^(proc|dev|sys|tmp|run)$/;
    # A folder with this machine's mounts beneath it cannot be a lower layer here (they are locked in this namespace,
    # and the kernel refuses it, writing an error to its log each time): skipped without the try.
    if (grep { index($_, "$e/") == 0 } @points) { print "skipped /$n\n"; next }
    mkdir "$S/upper/$n"; mkdir "$S/work/$n";
    my $layers = "userxattr,lowerdir=$e,upperdir=$S/upper/$n,workdir=$S/work/$n";
    eval { mnt('hooksmith-overlay', "$R/$n", 'overlay', 0, $layers); 1 } or print "skipped /$n\n";
  }
  bindm("$S/tmp", "$R/tmp");
  # A private /run (and /var/run where it is a folder): the host's service manager, D-Bus and daemons keep their sockets
  # and state there. Written files are listed with the others.
  mkdirs("$R/run"); bindm("$S/run", "$R/run");
  bindm("$S/run", "$R/var/run") if -d '/var/run' && !-l '/var/run' && -d "$R/var/run";
  mkdirs("$R$ENV{SBX_HOME}");
  bindm("$S/home", "$R$ENV{SBX_HOME}");
  mnt('hooksmith-dev', "$R/dev", 'tmpfs', 0, 'mode=755');
  for my $d (qw(null zero full random urandom tty)) { touch("$R/dev/$d"); bindm("/dev/$d", "$R/dev/$d") }
  mkdir "$R/dev/$_" for qw(net shm pts);
  touch("$R/dev/net/tun"); bindm('/dev/net/tun', "$R/dev/net/tun");
  symlink('/proc/self/fd', "$R/dev/fd");
  bindm('/proc', "$R/proc", REC);
  bindm('/dev/null', "$R/proc/sysrq-trigger") if -e "$R/proc/sysrq-trigger";
  bindm("$R/proc/sys", "$R/proc/sys"); remount("$R/proc/sys", 1);
  bindm("$R/proc/sys/net", "$R/proc/sys/net"); remount("$R/proc/sys/net", 0);
  for my $p (split /\n/, $ENV{SBX_READONLY}) { place('ro', $p, $R) if length $p }
  mkdir "$R/.hooksmith"; bindm($S, "$R/.hooksmith"); remount("$R/.hooksmith", 1);
  # A read-only /proc of the sandbox's PID namespace with nothing over it: the kernel lets a run mount a /proc of its own
  # PID namespace only where one is fully visible, and gives that one this one's read-only lock (see waiterScript). A
  # shim reads its pid as the sandbox sees it here.
  mnt('proc', "$R/.hooksmith/proc", 'proc', RDONLY | NOSUID | NODEV | NOEXEC);
  # What a claim binds later (below) reaches the holder's mount namespace: the mounts of the root are shared here and
  # slaves there (the kernel turns shared into slave for a less privileged namespace), so a mount made here on one of
  # them shows there too, and nothing the hooks mount comes back. The root's own mount, the scratch's and the claim's
  # staging stay private (pivot_root refuses a shared parent; a move is made from a private one).
  mnt(undef, $R, undef, REC | SHARED);
  mnt(undef, $_, undef, PRIVATE) for ($R, $S);
  mnt('hooksmith-stage', "$S/stage", 'tmpfs', 0, 'mode=700');
}
sub own_user { syscall($SYS_UNSHARE, 0x10000000 | $_[0]) == 0 or die "unshare: $!\n";
  for (['setgroups', 'deny'], ['uid_map', '0 0 1'], ['gid_map', '0 0 1']) {
    open(my $fh, '>', "/proc/self/$_->[0]") or die "$_->[0]: $!\n"; print $fh "$_->[1]\n"; close $fh or die "$_->[0]: $!\n" } }
join_network();
$0 = '${holderName}';
print "hooksmith-sandbox-ready\n";
# Every sandbox has taken its first look before it said it was ready (see first_look). A spare, while it waits to be
# handed out, keeps its answer to the first probe current (what the kernel still does after the set-up, IPv6's address
# work, is news), so that probe costs the request nothing but the files' walk. Handed out (or the claim failed, or the
# runner went), it takes over the conversation.
{
  my $bits = '';
  vec($bits, fileno($goRead), 1) = 1;
  probe() until select(my $ready = $bits, undef, undef, 0.25) > 0;
  exit 0 unless sysread($goRead, my $go, 1);
  close $goRead;
  syscall($SYS_UNSHARE, 0x00020000) == 0 or die "unshare (the hooks' mounts): $!\n";
  mnt(undef, '/', undef, REC | PRIVATE);
  print "hooksmith-sandbox-claimed\n";
}
holder();
# Reads the claim from the runner, the folders that are the simulation's own ("rw PATH", "ro PATH" lines, then "go"), binds each
# aside then moves it into the root whole (one propagation, its FIFOs along), and lets the holder go (it says when the
# sandbox is handed out). Its input's end (the runner went) ends it, and the holder with it.
sub claim {
  my ($buf, $n) = ('', 0);
  while (sysread(STDIN, $buf, 4096, length $buf)) {
    while ($buf =~ s/^([^\n]*)\n//) {
      my $line = $1;
      if ($line eq 'go') { syswrite($goWrite, '1') or die "go: $!\n"; return }
      my ($mode, $p) = $line =~ /^(ro|rw) (\/.*)$/ or next;
      my $aside = "$S/stage/" . ++$n;
      eval { -d $p or die "not a folder\n"; mkdir $aside; place($mode, $p, $R, $aside); mnt($aside, "$R$p", undef, MOVE); 1 }
        or do { (my $why = $@) =~ s/\s+$//; print "hooksmith-sandbox-claim-failed $p: $why\n"; exit 1 };
    }
  }
}
my ($events, $refused);
sub holder {
  # The holder: it keeps the namespaces alive and reads their state when the runner asks (one line
  # "probe" on its standard input), with no process to start but the tools'. Its input's end (the
  # runner died) ends it. Every 10 ms it counts the processes of the sandbox's PID namespace: over
  # the cap (RLIMIT_NPROC does not hold real root back), it kills them all and tells the runner.
  my $cap = ($ENV{SBX_PROCESSES} // 0) + 0;
  # The pids cgroup's events (as root, see pidsCgroup.ts), given as fd 3: a refused fork fires the guard.
  if ($ENV{SBX_PIDS_EVENTS}) { open($events, '<&=', 3) or undef $events; fcntl($events, 2, 1) if $events } # F_SETFD, FD_CLOEXEC
  $refused = refusals();
  my ($pending, $bits) = ('', '');
  vec($bits, fileno(STDIN), 1) = 1;
  while (1) {
    if (select(my $ready = $bits, undef, undef, 0.01) > 0) {
      last unless sysread(STDIN, $pending, 4096, length $pending);
      while ($pending =~ s/^([^\n]*)\n//) { print probe(), "\@\@hooksmith end\n" if $1 eq 'probe' }
    }
    1 while waitpid(-1, 1) > 0; # orphans come to the holder when it is the namespace's init (unshare)
    guard($cap) if $cap;
  }
  exit 0;
}
# The hook's processes: not this one, the namespace's init, nor the sandbox's own helpers (the claim's process may still be
# on its way out, or not yet reaped, when a hook's first forks are counted).
sub others {
  opendir(my $d, '/proc') or return 0;
  return scalar grep { /^\d+$/ && $_ != $$ && $_ != 1 && $_ != $claimer && $_ != $networker } readdir $d;
}
sub refusals { return 0 unless $events; sysseek($events, 0, 0); sysread($events, my $t, 256); return $t =~ /max (\d+)/ ? $1 : 0 }
sub guard {
  my $n = others();
  my $r = refusals();
  my $hit = $r > $refused;
  $refused = $r;
  return if $n <= $_[0] && !$hit;
  # A refused fork: at that moment the hook had as many processes as the cgroup holds (some may have died since).
  $n = $ENV{SBX_PIDS_FULL} + 0 if $hit && $n <= $_[0];
  for (1 .. 200) { kill 'KILL', -1; 1 while waitpid(-1, 1) > 0; last unless others(); select(undef, undef, undef, 0.002) }
  print "\@\@hooksmith guard $n\n";
}
`;

/**
 * Started by the runner (through `env --ignore-signal=TERM`, so that only the hook acts on the
 * runner's SIGTERM; a waiter started ahead, which no run signals before one takes it, ignores it
 * itself, first thing: one exec less): enters the holder's namespaces and root and sets the hook's
 * limits itself (what nsenter and prlimit did, without their two execs), then forks the hook into
 * the PID namespace with the signals back to their defaults and the environment from its arguments
 * (nothing inherited), waits, and ends the way the hook ended (the same exit status, or the same
 * signal), so the run reports exactly what the hook did. Arguments: the holder's pid, the limits
 * (address space, file size, CPU seconds, processes), the working folder, count of NAME=VALUE, the
 * NAME=VALUEs, argv0, file, args.
 */
export const waiterScript =
  String.raw`BEGIN { $SIG{TERM} = 'IGNORE' if $ENV{SBX_LATE} }` +
  perlSyscalls +
  String.raw`
my $waiter = $$;
my $gate;
if ($ENV{SBX_GATE}) { open($gate, '<&=', 3) or do { print STDERR "hooksmith: cannot enter the sandbox: no gate: $!\n"; exit 127 } }
# As root, into the sandbox's pids cgroup (SBX_CGROUP_PROCS: its cgroup.procs), before it forks the run: everything
# the run starts counts against the cap. The move waits for the kernel's grace period (milliseconds): a child of its
# own makes it while the waiter goes on, and the waiter forks the run once the child is done. Refused (the hierarchy
# went): the holder's guard still stands.
my $mover;
if (my $procs = $ENV{SBX_CGROUP_PROCS}) {
  $mover = fork();
  if (defined $mover && !$mover) {
    close $gate if $gate;
    if (sysopen(my $cg, $procs, 1)) { syswrite($cg, "$waiter\n"); close $cg } # O_WRONLY
    exit 0;
  }
  if (!defined $mover && sysopen(my $cg, $procs, 1)) { syswrite($cg, "$waiter\n"); close $cg } # no fork: the waiter itself
}
# A waiter started ahead (SBX_LATE, see prestartWaiter) is given its arguments on fd 3 once a run takes it, as a length
# line and the arguments separated by NUL bytes; what follows them is the gate's. The end of fd 3 before them: the
# sandbox ended unused (or the runner went), and the waiter with it, quietly.
my $early = '';
if ($ENV{SBX_LATE}) {
  my $buf = '';
  until ($buf =~ /^(\d+)\n/ && length($buf) >= length($1) + 1 + $1) { sysread($gate, $buf, 65536, length $buf) or exit 127 }
  $buf =~ s/^(\d+)\n//;
  @ARGV = split /\0/, substr($buf, 0, $1), -1;
  $early = substr($buf, $1);
}
my $holder = shift @ARGV; my @limits = splice(@ARGV, 0, 4);
my $cwd = shift @ARGV; my $n = shift @ARGV; my @env = splice(@ARGV, 0, $n); my $argv0 = shift @ARGV;
sub fail { print STDERR "hooksmith: cannot enter the sandbox: $_[0]\n"; exit 127 }
# Opened from the host's view, before any of them is entered.
my %ns;
for (qw(user ipc uts pid net mnt)) { open($ns{$_}, '<', "/proc/$holder/ns/$_") or fail("$_ namespace: $!") }
opendir(my $root, "/proc/$holder/root") or fail("root: $!");
sub enter { my ($fh, $type, $what) = @_; syscall($SYS_SETNS, fileno($fh), $type) == 0 or fail("$what: $!") }
# The tool's IPC, UTS and PID namespaces belong to its user namespace, the holder's network and mount
# namespaces to the holder's own, nested in it: the tool's user namespace first (NS_GET_USERNS; a
# process already in it, or that may enter the others from where it is, goes on), then its
# namespaces, then the holder's user namespace and its namespaces. A launch dropped to another uid as
# this machine's root (SBX_OUTSIDE_USERNS: the uid) enters no user namespace: root here may enter the others as
# it is, and the uid it drops to is then this machine's, which owns none of root's files. Until that drop (see dropOutside)
# it runs nothing of the sandbox's files, which a hook may have replaced: POSIX is loaded here, from this machine's.
my $outside = $ENV{SBX_OUTSIDE_USERNS};
require POSIX if $outside;
my $owner = $outside ? undef : ioctl($ns{ipc}, 0xb701, 0);
if (defined $owner && open(my $tooluser, '<&=', $owner + 0)) { syscall($SYS_SETNS, fileno($tooluser), 0x10000000) }
enter($ns{ipc}, 0x08000000, 'ipc namespace');
enter($ns{uts}, 0x04000000, 'uts namespace');
enter($ns{pid}, 0x20000000, 'pid namespace');
enter($ns{user}, 0x10000000, 'user namespace') unless $outside;
enter($ns{net}, 0x40000000, 'network namespace');
enter($ns{mnt}, 0x00020000, 'mount namespace');
chdir($root) && chroot('.') && chdir('/') or fail("root: $!");
# RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_CPU, RLIMIT_NPROC: soft and hard, as prlimit --as= ... sets them.
my @which = (9, 1, 0, 6);
for (0 .. 3) { syscall($SYS_SETRLIMIT, $which[$_], my $lim = pack('Q2', $limits[$_], $limits[$_])) == 0 or fail("limit $which[$_]: $!") }
# The run's start waits here until the move into the pids cgroup is done, and the runner has the run's "before" state
# (a byte on fd 3, SBX_GATE): the waiter's own start-up, the namespaces and the move went on meanwhile. No byte (the
# state could not be read): no run.
waitpid($mover, 0) if $mover;
if ($gate) {
  my $go = length($early) || sysread($gate, my $byte, 1);
  close $gate;
  unless ($go) { print STDERR "hooksmith: the hook was not started: the sandbox's state could not be read before it\n"; exit 127 }
}
# The run's own PID namespace, nested in the sandbox's: a hook's kill -1 (or kill -9 -1) reaches only its own run's
# processes, never another run's nor the holder. Its first process is its init (see runInit), the hook the second; the
# process between them stays in the sandbox's namespace, out of the hook's sight, to wait for the hook and end as it
# did. The run has a mount namespace of its own too, where its init mounts /proc for the run's PID namespace (see
# ownProc), so $$, $!, ps, pgrep and /proc agree.
my $run = fork();
die "fork: $!" unless defined $run;
# A launch outside the user namespaces runs in the sandbox's PID namespace itself: a namespace made from this machine's
# user namespace cannot nest in one the sandbox's user namespace owns. Its uid keeps it from the other runs' processes.
# A dropped launch inside keeps the sandbox's /proc: its nested user namespace's uid_map is written there.
if ($run == 0) {
  unless ($outside) {
    my $own = !$ENV{SBX_DROPPED};
    syscall($SYS_UNSHARE, 0x20000000 | ($own ? 0x00020000 : 0)) == 0
      or do { print STDERR "hooksmith: cannot make the run's PID namespace: $!\n"; exit 127 };
    pipe(my $said, my $say) or die "pipe: $!";
    my $init = fork();
    die "fork: $!" unless defined $init;
    if ($init == 0) { close $said; ownProc() if $own; close $say; runInit() }
    # The hook starts once its /proc is there (or its init is gone).
    close $say; sysread($said, my $done, 1); close $said;
  }
  my $pid = fork();
  die "fork: $!" unless defined $pid;
  if ($pid == 0) {
    dropOutside($outside + 0) if $outside;
    %ENV = ();
    for (@env) { my ($k, $v) = split /=/, $_, 2; $ENV{$k} = $v; }
    $SIG{TERM} = 'DEFAULT'; $SIG{INT} = 'DEFAULT'; $SIG{HUP} = 'DEFAULT';
    chdir($cwd) or do { print STDERR "hooksmith: cannot enter $cwd: $!\n"; exit 127 };
    exec { $ARGV[0] } $argv0, @ARGV[1 .. $#ARGV] or do { print STDERR "hooksmith: cannot run $ARGV[0]: $!\n"; exit 127 };
  }
  waitpid($pid, 0);
  endAs($?);
}
waitpid($run, 0);
endAs($?);
sub endAs {
  my $status = shift;
  if ($status & 127) { $SIG{$_} = 'DEFAULT' for qw(TERM INT HUP); kill($status & 127, $$); sleep 1; exit 128 + ($status & 127); }
  exit($status >> 8);
}
# Becomes this machine's uid (and gid) for good, as a daemon's privilege drop does: groups, then gid, then uid (the real,
# effective and saved ids, so no way back, and no capabilities left), and no new privileges (no set-uid way back either).
sub dropOutside {
  my $id = shift;
  $) = "$id $id";
  POSIX::setgid($id) && POSIX::setuid($id) or fail("cannot become uid $id: $!");
  fail("cannot become uid $id") unless $< == $id && $> == $id && $( == $id && $) == $id;
  syscall($SYS_PRCTL, 38, 1, 0, 0, 0) == 0 or fail("no_new_privs: $!"); # PR_SET_NO_NEW_PRIVS
}
# The run's /proc, mounted by its init (a /proc shows the PID namespace of whoever mounts it): read-only, which the kernel
# locks (the sandbox's fully visible /proc, /.hooksmith/proc, is read-only), so a hook can neither write the machine's
# sysctls nor /proc/sysrq-trigger through it, nor remount it; the sandbox's own network sysctls, writable, are bound
# over its /proc/sys/net (the holder's record of sysctl writes watches those). A hook that unmounts either finds the
# sandbox's /proc again, whose machine-wide parts stay read-only. Where the kernel refuses, the run keeps the sandbox's.
sub ownProc {
  my $keep = '/.hooksmith/empty';
  eval { mnt('/proc/sys/net', $keep, undef, 4096); 1 } or return; # MS_BIND
  my $ok = eval { mnt('proc', '/proc', 'proc', 1 | 2 | 4 | 8); 1 }; # read-only, nosuid, nodev, noexec
  eval { mnt($keep, '/proc/sys/net', undef, 4096) } if $ok;
  syscall($SYS_UMOUNT2, str($keep), 2); # MNT_DETACH
}
# The run's init: out of the hook's process group and output, it reaps what the hook orphans, and lives on (so what the
# hook left running is still there to be found and reported) until the run's end kills it, and its namespace with it.
# Its name carries the waiter's pid on this machine, which the runner knows: the run's end finds its own namespace by it.
sub runInit {
  setpgrp(0, 0);
  $0 = "${runInitName} $waiter";
  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null'); open(STDERR, '>', '/dev/null');
  $SIG{CHLD} = sub {};
  while (1) { 1 while waitpid(-1, 1) > 0; select(undef, undef, undef, 1) }
}
`;

/**
 * The state a hook can change, in sections (see parseState): run by the holder, inside the
 * sandbox's namespaces. Each part is read again only when it may have changed since the last probe:
 * - links, addresses, routes and rules: two `ip` processes (one batch for links, addresses, routes
 *   of both families and IPv4 rules; one for IPv6 rules), each run again only when rtnetlink has
 *   news of what it lists (a hook's routes do not run the second); the fresh namespace's by the
 *   set-up, while it walks the sysctls (see first_look);
 * - the firewall: `nft list ruleset`, and iptables-save and ip6tables-save only when they can show
 *   something (with the nf_tables backend their rules live in nft's rule set, so an empty rule set
 *   means empty tables), run again only when nfnetlink has news; a fresh namespace has none;
 * - the network sysctls: read again only when inotify saw a write to one of them, and looked up
 *   again when a link came or went (see sysctls below);
 * - the scratch layer's files, walked each time (a run that wrote nothing leaves it nearly empty).
 */
const probeSub = String.raw`
sub lines { my @cmd = @_; open(my $fh, '-|', @cmd) or return (); my @l = <$fh>; close $fh; return @l }
sub have { for (split /:/, $ENV{PATH}) { return "$_/$_[0]" if -x "$_/$_[0]" } return undef }
# Links, addresses, routes of both families and IPv4 rules: one ip process, its batch on its standard input (the first
# look runs it before the holder's root, where a file could be, is there). Its output, to read and close.
sub ip_batch {
  pipe(my $in, my $feed) or return undef;
  my $pid = open(my $out, '-|') // return undef;
  if (!$pid) { close $feed; open(STDIN, '<&', $in) or exit 127; exec qw(ip -o -batch -) or exit 127 }
  close $in;
  print $feed "link show\naddr show\nroute show table all\nrule show\n";
  close $feed;
  return $out;
}
# The kernel says when links, addresses, routes or rules change (rtnetlink), and when the nft rule
# set does (nfnetlink): it queues the news on these sockets before the changing call returns, so
# with nothing queued the last answer of ip and nft still holds and they are not run again. A
# socket that cannot be made, or that overflowed, means "run them".
my ($routeNews, $rule6News, $linkNews, $nftNews, %ipCache, %fwCache);
# Called once the sandbox's network namespace is there (a socket belongs to the namespace it was made in). The groups:
# links, IPv4 addresses, routes and rules, IPv6 addresses and routes (the batch's); IPv6 rules; links; the nft rule set.
sub listen_for_news {
  $routeNews = news(0, 0x1 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400); $rule6News = news(0, 0x40000);
  $linkNews = news(0, 0x1); $nftNews = news(12, 1 << 6) }
sub news { my ($protocol, $groups) = @_; socket(my $s, 16, 3, $protocol) or return undef;
  bind($s, pack('S x2 L L', 16, 0, $groups)) or return undef; return $s }
sub changed {
  my $s = shift;
  return 1 unless $s;
  my $any = 0;
  # 0x40 MSG_DONTWAIT, 11 EAGAIN
  while (1) { my $from = recv($s, my $msg, 65536, 0x40); if (defined $from) { $any = 1; next } return $any || ($! + 0 != 11) }
}
# -o: one line per link or address, told apart from rules (N:<tab>) and routes by their shape. The IPv6 rules, listed
# apart, are kept as they are (rules6).
sub ip_state {
  $ipCache{$_} = '' for qw(links addresses routes rules);
  for (@_) {
    if (/^\d+:\t/) { $ipCache{rules} .= $_ }
    elsif (/^\d+: (\S+)\s+(inet6?) (\S+)/) { $ipCache{addresses} .= "$1 $2 $3\n" }
    elsif (/^\d+: (\S+:) (<\S*>)/) { $ipCache{links} .= "$1 $2\n" }
    else { $ipCache{routes} .= $_ }
  }
}
sub save_is_nft { my $real = shift;
  for (1 .. 8) { last unless -l $real; my $to = readlink $real; $real = $to =~ m{^/} ? $to : ($real =~ s{[^/]*$}{}r) . $to }
  return $real =~ /nft/ }
# The firewall's state, given the nft rule set's lines. Not kept with the legacy (x_tables) backend: it has no news.
sub firewall {
  my @nft = @_;
  %fwCache = (order => []);
  my $legacy = 0;
  for my $t (qw(iptables ip6tables)) {
    my $save = have("$t-save") or next;
    push @{ $fwCache{order} }, $t;
    $fwCache{$t} = '';
    my $nftBackend = save_is_nft($save);
    $legacy = 1 unless $nftBackend;
    next if !@nft && $nftBackend;
    for (lines($save)) { next if /^#/; s/\[\d+:\d+\]/[0:0]/; $fwCache{$t} .= $_ }
  }
  if (have('nft')) { push @{ $fwCache{order} }, 'nft'; $fwCache{nft} = join '', @nft }
  my %state = %fwCache;
  %fwCache = () if $legacy;
  return %state;
}
sub make_tun {
  my ($SETIFF, $SETPERSIST) = map { hex } split / /, $ENV{SBX_IOCTLS};
  open(my $tun, '+<', '/dev/net/tun') or die "/dev/net/tun: $!\n";
  ioctl($tun, $SETIFF, pack('Z16 s x22', $_[0], 0x0001 | 0x1000 | 0x8000)) or die "tun $_[0]: $!\n";
  ioctl($tun, $SETPERSIST, 1) or die "tun $_[0] (persist): $!\n";
  close $tun;
}
sub legacy_tables { for my $t (qw(iptables ip6tables)) { my $save = have("$t-save") or next; return 1 unless save_is_nft($save) } return 0 }
# The network of the fresh namespace, in it: its tunnel device made as ip tuntap makes it (TUNSETIFF with IFF_TUN,
# IFF_NO_PI and IFF_TUN_EXCL, then TUNSETPERSIST), the rest (the lines given) by one ip process. Nothing else runs in the
# namespace until the holder says it is ready. What the probes need of it (the news sockets, the first listing, the
# sysctls' walk) is the holder's (see first_look).
sub setup_network {
  make_tun($ENV{SBX_DEVICE}) if length $ENV{SBX_DEVICE};
  open(my $ipb, '|-', qw(ip -batch -)) or die "ip: $!\n";
  print $ipb map { "$_\n" } @_;
  close $ipb or die "the network set-up (ip -batch) failed\n";
}
# The first look at the network, once, by the holder-to-be as soon as the network is set up, while its child builds the
# root (about as long): a request then waits for neither, and its first probe walks only the files. The news sockets
# belong to the network namespace they are made in, the held sysctls to the one they are opened in: the sandbox's, which
# the holder joins again (see join_network), so they serve every later probe. They open first, so that whatever the
# kernel still does after the set-up (IPv6's address work is asynchronous) is news; the listing runs in two ip processes
# (one for the IPv6 rules) while the holder walks the sysctls. A fresh namespace's nft rule set is empty: with the
# nf_tables backend the firewall's first state needs no tool at all.
sub first_look {
  listen_for_news();
  open(my $six, '-|', qw(ip -6 rule show)) or die "ip: $!\n";
  my $all = ip_batch() or die "ip: $!\n";
  sysctl_walk();
  ip_state(<$all>);
  close $all;
  $ipCache{rules6} = join '', <$six>;
  close $six;
  firewall() unless legacy_tables();
}
# The network sysctls. Their folders are held open and watched with inotify: a held folder keeps
# its inode (a sysctl's is otherwise made anew at each look-up), so the watch sees every write to a
# file in it, by a hook's echo or its sysctl -w. The files are held open too, to be read again
# without a look-up. With a write since the last probe, all are read again (one write can change
# others: conf.all.forwarding sets every device's); with a link come or gone, looked up again.
# Without inotify every probe reads them all again; without enough file descriptors, by path.
my (@held, @folders);
my ($watch, $sysctlText);
my $holding = 1;
# Walks the sysctls: holding each file (then read by sysctl_values), or reading and closing it.
sub sysctl_files {
  my $hold = shift;
  @held = (); @folders = ();
  my $text = '';
  my @queue = ('/proc/sys/net/ipv4', '/proc/sys/net/ipv6');
  while (@queue) {
    my $dir = shift @queue;
    opendir(my $dh, $dir) or next;
    push @folders, [$dir, $dh] if $hold;
    for my $name (grep { !/^\.\.?$/ } readdir $dh) {
      my $path = "$dir/$name";
      next if $name eq 'neigh' || $name eq 'base_reachable_time' || $path =~ m{/route/gc_};
      # One look-up per entry (each costs the kernel a sysctl table walk): open it, then ask the handle.
      open(my $fh, '<', $path) or do { if ($hold && $! + 0 == 24) { $holding = 0; return sysctl_files(0) } next }; # EMFILE
      if (-d $fh) { push @queue, $path; next }
      (my $key = substr($path, 10)) =~ tr{/}{.};
      if ($hold) { push @held, [$key, $fh] } else { $text .= sysctl_value($key, $fh) }
    }
  }
  return $text;
}
# A value is read whole from its start. The kernel allocates and zeroes a buffer as large as the read asks for, which
# for 64 KB cost more than the walk's look-ups: 4 KB are asked for first (every value of a fresh namespace fits), and
# more only when the answer filled them (a longer value, cut there: the kernel fills a short read to the last byte).
sub sysctl_value {
  my ($key, $fh) = @_;
  my ($n, $value);
  for (my $size = 4096; ; $size *= 16) {
    sysseek($fh, 0, 0);
    $n = sysread($fh, $value, $size);
    last unless $n && $n == $size && $size < 1 << 20;
  }
  return '' unless $n;
  my @lines = split /\n/, $value, -1;
  pop @lines if @lines > 1 && $lines[-1] eq '';
  return join '', map { "$key = $_\n" } @lines;
}
sub sysctl_values { return join '', map { sysctl_value(@$_) } @held }
sub sysctl_watch {
  close $watch if $watch;
  $watch = undef;
  my $fd = syscall($SYS_INOTIFY_INIT1, 04000 | 02000000); # IN_NONBLOCK | IN_CLOEXEC
  return if $fd < 0;
  open(my $in, '<&=', $fd) or return;
  for (@folders) { return if syscall($SYS_INOTIFY_ADD_WATCH, $fd, str($_->[0]), 0x2) < 0 } # IN_MODIFY
  $watch = $in;
}
# Whether a sysctl was written since the last look: any event (or an overflow) says so.
sub sysctl_written {
  return 1 unless $watch;
  my $any = 0;
  while (1) { my $n = sysread($watch, my $events, 65536); if ($n) { $any = 1; next } return $any || !defined($n) && $! + 0 != 11 }
}
sub sysctl_walk {
  sysctl_files(1);
  return $sysctlText = sysctl_files(0) unless $holding; # out of file descriptors midway
  sysctl_watch(); # before the values are read: a write after the watch is news for the next probe
  sysctl_written();
  return $sysctlText = sysctl_values();
}
sub sysctls {
  my $links = changed($linkNews);
  return sysctl_files(0) unless $holding;
  if ($links || !defined $sysctlText) {
    sysctl_walk();
  } elsif (sysctl_written()) {
    $sysctlText = sysctl_values();
  }
  return $sysctlText;
}
sub probe {
  my (%s, @order);
  my $add = sub { my $k = shift; push @order, $k unless exists $s{$k}; $s{$k} .= join '', @_ };
  if (changed($routeNews) || !defined $ipCache{links}) {
    my $all = ip_batch();
    ip_state($all ? <$all> : ());
    close $all if $all;
  }
  $ipCache{rules6} = join '', lines(qw(ip -6 rule show)) if changed($rule6News) || !defined $ipCache{rules6};
  $add->($_, $ipCache{$_}) for qw(links addresses routes rules);
  $add->('rules', $ipCache{rules6});
  my %fw = (changed($nftNews) || !%fwCache) ? firewall(have('nft') ? lines(qw(nft list ruleset)) : ()) : %fwCache;
  $add->($_, $fw{$_}) for @{ $fw{order} };
  $add->('sysctls', sysctls());
  $add->('files', '');
  my @walk = map { ["/.hooksmith/$_", (lstat "/.hooksmith/$_")[0], $_] } grep { -d "/.hooksmith/$_" } qw(upper tmp home run);
  while (@walk) {
    my ($dir, $dev, $shown) = @{ shift @walk };
    opendir(my $dh, $dir) or next;
    for my $name (sort grep { !/^\.\.?$/ } readdir $dh) {
      my ($p, $as) = ("$dir/$name", "$shown/$name");
      my @st = lstat $p or next;
      if (-c _) { $add->('files', "whiteout $as\n") }
      elsif (!-d _) { $add->('files', "file $as\n") }
      elsif ($st[0] == $dev) {
        opendir(my $sub, $p) or next;
        if (grep { !/^\.\.?$/ } readdir $sub) { push @walk, [$p, $dev, $as] } else { $add->('files', "dir $as\n") }
      }
    }
  }
  return join '', map { "\@\@hooksmith $_\n$s{$_}" } @order;
}
`;

/** The whole program the sandbox tool starts: set-up, then the holder with its probe. */
export const holderScript = perlSyscalls + probeSub + setupScript;
