/**
 * The Perl programs the sandbox runs. They are passed as arguments (`perl -e`),
 * never written where a hook could change them, and read their inputs from their environment and
 * arguments: no value is ever pasted into their text.
 */

/**
 * Linux system call numbers the Perl programs below make directly (Perl has no mount(2)): one
 * process doing the syscalls instead of a shell forking mount, mkdir and ip dozens of times (that
 * cost most of the sandbox's start-up). Passed as SBX_SYSCALLS: mount umount2 pivot_root unshare setrlimit.
 */
export const syscallNumbers: Readonly<Record<string, readonly number[]>> = {
  x64: [165, 166, 155, 272, 160],
  arm64: [40, 39, 41, 97, 164],
  riscv64: [40, 39, 41, 97, 164],
  loong64: [40, 39, 41, 97, 164],
  ppc64: [21, 52, 203, 282, 75],
  s390x: [21, 52, 217, 303, 75],
};

/** The holder's process name (its argv): tests and the bench find sandboxes by it. */
export const holderName = 'hooksmith-sandbox-holder';

/** Shared by the Perl programs: the system calls by number, with errors that name what failed. */
const perlSyscalls = String.raw`
use strict;
my ($SYS_MOUNT, $SYS_UMOUNT2, $SYS_PIVOT, $SYS_UNSHARE, $SYS_SETRLIMIT) = map { $_ + 0 } split / /, $ENV{SBX_SYSCALLS};
# syscall() passes a number as an integer and anything else as a pointer to a modifiable string.
sub str { my $s = shift; return defined $s ? "$s" : 0 }
sub mnt { my ($src, $dst, $type, $flags, $data) = @_; my @a = (str($src), str($dst), str($type), $flags + 0, str($data));
  syscall($SYS_MOUNT, @a) == 0 or die "mount $dst: $!\n" }
`;

/**
 * Runs as root of a fresh user namespace, in fresh mount, PID, IPC and UTS namespaces (made by
 * bubblewrap or unshare), seeing the host's files. Builds the hook's root: every top-level folder
 * of / as a copy-on-write overlay whose upper layer is on a size-limited tmpfs, a private /tmp and
 * HOME, a minimal /dev, /proc with the machine-wide knobs read-only, the hook's folders bound
 * read-only and the run's own folders bound writable. Then it pivots into that root, forgets the
 * old one, and becomes the holder: a nested user namespace (every mount above is locked there, so
 * the hook cannot unmount or remount them) with a new network namespace holding loopback, the
 * family's tunnel device and a default route that leads nowhere (one `ip -batch`).
 */
export const setupScript = String.raw`
$| = 1;
use constant { RDONLY => 1, NOSUID => 2, NODEV => 4, NOEXEC => 8, REMOUNT => 32, NOATIME => 1024, NODIRATIME => 2048, BIND => 4096,
  REC => 16384, PRIVATE => 1 << 18, RELATIME => 1 << 21, STRICTATIME => 1 << 24 };
my %locked = (nosuid => NOSUID, nodev => NODEV, noexec => NOEXEC, noatime => NOATIME,
  nodiratime => NODIRATIME, relatime => RELATIME, strictatime => STRICTATIME);
sub mkdirs { my $p = ''; for (grep { length } split m{/}, shift) { $p .= "/$_"; -d $p or mkdir $p or die "mkdir $p: $!\n" } }
sub touch { my $f = shift; return if -e $f; open(my $fh, '>', $f) or die "create $f: $!\n"; close $fh }
sub bindm { my ($src, $dst, $flags) = @_; mnt($src, $dst, undef, BIND | ($flags // 0)) }
# A bind remount keeps the flags the kernel locked (nosuid, nodev, the atime mode): read them from mountinfo.
sub remount { my ($dst, $ro) = @_; my $flags = 0;
  open(my $mi, '<', '/proc/self/mountinfo') or die "mountinfo: $!\n";
  while (<$mi>) { my @f = split / /; (my $at = $f[4]) =~ s/\\([0-7]{3})/chr(oct($1))/ge;
    next unless $at eq $dst; $flags = 0; $flags |= $locked{$_} // 0 for split /,/, $f[5] }
  mnt(undef, $dst, undef, REMOUNT | BIND | $flags | ($ro ? RDONLY : 0)) }
sub place { my ($mode, $p, $R) = @_;
  if (-d $p) { mkdirs("$R$p") } else { (my $d = $p) =~ s{/[^/]*$}{}; mkdirs("$R$d"); touch("$R$p") }
  bindm($p, "$R$p"); remount("$R$p", 1) if $mode eq 'ro' }

my $S = $ENV{SBX_SCRATCH};
mnt('hooksmith-scratch', $S, 'tmpfs', 0, "size=$ENV{SBX_SCRATCH_MB}m,mode=755");
mkdir "$S/$_" or die "mkdir $S/$_: $!\n" for qw(upper work root tmp home);
chmod 01777, "$S/tmp";
my $R = "$S/root";
mnt('hooksmith-root', $R, 'tmpfs', 0, 'mode=755');
opendir(my $top, '/') or die "/: $!\n";
for my $n (sort grep { !/^\./ } readdir $top) {
  my $e = "/$n";
  if (-l $e) { symlink(readlink($e), "$R/$n") or die "symlink $n: $!\n"; next }
  next unless -d $e;
  mkdir "$R/$n" or die "mkdir $R/$n: $!\n";
  next if $n =~ /^(proc|dev|sys|tmp)$/;
  mkdir "$S/upper/$n"; mkdir "$S/work/$n";
  my $layers = "userxattr,lowerdir=$e,upperdir=$S/upper/$n,workdir=$S/work/$n";
  eval { mnt('hooksmith-overlay', "$R/$n", 'overlay', 0, $layers); 1 } or print "skipped /$n\n";
}
bindm("$S/tmp", "$R/tmp");
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
for my $p (split /\n/, $ENV{SBX_WRITABLE}) { place('rw', $p, $R) if length $p }
open(my $batch, '>', "$S/probe.batch") or die "probe.batch: $!\n";
print $batch "link show\naddr show\nroute show table all\nrule show\n"; close $batch;
mkdir "$R/.hooksmith"; bindm($S, "$R/.hooksmith"); remount("$R/.hooksmith", 1);
chdir $R or die "chdir: $!\n";
mkdir '.old';
syscall($SYS_PIVOT, my $new = '.', my $old = '.old') == 0 or die "pivot_root: $!\n";
syscall($SYS_UMOUNT2, my $gone = '/.old', 2) == 0 or die "umount /.old: $!\n";
rmdir '/.old'; chdir '/';
# The holder's own namespaces: user (locks the mounts above), mount, network.
syscall($SYS_UNSHARE, 0x10000000 | 0x00020000 | 0x40000000) == 0 or die "unshare: $!\n";
for (['setgroups', 'deny'], ['uid_map', '0 0 1'], ['gid_map', '0 0 1']) {
  open(my $fh, '>', "/proc/self/$_->[0]") or die "$_->[0]: $!\n"; print $fh "$_->[1]\n"; close $fh or die "$_->[0]: $!\n" }
mnt(undef, '/', undef, REC | PRIVATE);
my $dev = $ENV{SBX_DEVICE};
my @ip = ('link set lo up');
if (length $dev) {
  die "bad device name $dev\n" unless $dev =~ /^[A-Za-z0-9_.:-]{1,15}$/;
  push @ip, "tuntap add dev $dev mode tun";
  for (split ' ', $ENV{SBX_ADDRESSES}) { die "bad address $_\n" unless m{^[0-9A-Fa-f.:]+(/[0-9]+)?$}; push @ip, "addr add $_ dev $dev" }
  push @ip, "link set $dev up";
  for (split ' ', $ENV{SBX_ROUTES}) { die "bad route $_\n" unless m{^[0-9A-Fa-f.:]+(/[0-9]+)?$}; push @ip, "route add $_ dev $dev" }
}
push @ip, 'route add unreachable default';
push @ip, 'route add unreachable ::/0' if -e '/proc/sys/net/ipv6/conf/lo';
open(my $ipb, '|-', 'ip', '-batch', '-') or die "ip: $!\n";
print $ipb "$_\n" for @ip;
close $ipb or die "the network set-up (ip -batch) failed\n";
listen_for_news();
$0 = '${holderName}';
print "hooksmith-sandbox-ready\n";
# The holder: it keeps the namespaces alive and reads their state when the runner asks (one line
# "probe" on its standard input), with no process to start but the tools'. Its input's end (the
# runner died) ends it. Every 10 ms it counts the processes of the sandbox's PID namespace: over
# the cap (RLIMIT_NPROC does not hold real root back), it kills them all and tells the runner.
my $cap = ($ENV{SBX_PROCESSES} // 0) + 0;
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
sub others { opendir(my $d, '/proc') or return 0; return scalar grep { /^\d+$/ && $_ != $$ && $_ != 1 } readdir $d }
sub guard {
  my $n = others();
  return if $n <= $_[0];
  for (1 .. 200) { kill 'KILL', -1; 1 while waitpid(-1, 1) > 0; last unless others(); select(undef, undef, undef, 0.002) }
  print "\@\@hooksmith guard $n\n";
}
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
# As root the runner moves this process into the sandbox's pids cgroup: the hook is forked once it is in (2 s at most).
# This process has no pid in the sandbox's /proc, so a child (which has one) looks, and says by its exit status.
if (my $cg = $ENV{SBX_CGROUP}) {
  for (1 .. 2000) {
    my $probe = fork() // last;
    if (!$probe) { open(my $fh, '<', '/proc/self/cgroup') or exit 1; exit((grep { m{/\Q$cg\E$} } <$fh>) ? 0 : 1) }
    waitpid($probe, 0); last if $? == 0; select(undef, undef, undef, 0.001);
  }
}
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

/**
 * The state a hook can change, in sections (see parseState): run by the holder, inside the
 * sandbox's namespaces. Two `ip` processes (one batch for links, addresses, routes of both
 * families and IPv4 rules; one for IPv6 rules) and one `nft`; the network sysctls and the scratch
 * layer are read directly. iptables-save and ip6tables-save run only when they can show
 * something: with the nf_tables backend their rules live in nft's rule set, so an empty rule set
 * means empty tables.
 */
const probeSub = String.raw`
sub lines { my @cmd = @_; open(my $fh, '-|', @cmd) or return (); my @l = <$fh>; close $fh; return @l }
sub have { for (split /:/, $ENV{PATH}) { return "$_/$_[0]" if -x "$_/$_[0]" } return undef }
# The kernel says when links, addresses, routes or rules change (rtnetlink), and when the nft rule
# set does (nfnetlink): it queues the news on these sockets before the changing call returns, so
# with nothing queued the last answer of ip and nft still holds and they are not run again. A
# socket that cannot be made, or that overflowed, means "run them".
my ($routeNews, $nftNews, %ipCache, %fwCache);
# Called once the sandbox's network namespace is there (a socket belongs to the namespace it was made in).
sub listen_for_news { $routeNews = news(0, 0x1 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x40000); $nftNews = news(12, 1 << 6) }
sub news { my ($protocol, $groups) = @_; socket(my $s, 16, 3, $protocol) or return undef;
  bind($s, pack('S x2 L L', 16, 0, $groups)) or return undef; return $s }
sub changed {
  my $s = shift;
  return 1 unless $s;
  my $any = 0;
  # 0x40 MSG_DONTWAIT, 11 EAGAIN
  while (1) { my $from = recv($s, my $msg, 65536, 0x40); if (defined $from) { $any = 1; next } return $any || ($! + 0 != 11) }
}
sub probe {
  my (%s, @order);
  my $add = sub { my $k = shift; push @order, $k unless exists $s{$k}; $s{$k} .= join '', @_ };
  if (changed($routeNews) || !%ipCache) {
    %ipCache = map { $_ => '' } qw(links addresses routes rules);
    # -o: one line per link or address, told apart from rules (N:<tab>) and routes by their shape.
    for (lines(qw(ip -o -batch /.hooksmith/probe.batch))) {
      if (/^\d+:\t/) { $ipCache{rules} .= $_ }
      elsif (/^\d+: (\S+)\s+(inet6?) (\S+)/) { $ipCache{addresses} .= "$1 $2 $3\n" }
      elsif (/^\d+: (\S+:) (<\S*>)/) { $ipCache{links} .= "$1 $2\n" }
      else { $ipCache{routes} .= $_ }
    }
    $ipCache{rules} .= join '', lines(qw(ip -6 rule show));
  }
  $add->($_, $ipCache{$_}) for qw(links addresses routes rules);
  if (changed($nftNews) || !%fwCache) {
    %fwCache = (order => []);
    my @nft = have('nft') ? lines(qw(nft list ruleset)) : ();
    my $legacy = 0;
    for my $t (qw(iptables ip6tables)) {
      my $save = have("$t-save") or next;
      push @{ $fwCache{order} }, $t;
      $fwCache{$t} = '';
      my $real = $save;
      for (1 .. 8) { last unless -l $real; my $to = readlink $real; $real = $to =~ m{^/} ? $to : ($real =~ s{[^/]*$}{}r) . $to }
      $legacy = 1 unless $real =~ /nft/; # x_tables: no news of its changes, so never kept
      next if !@nft && $real =~ /nft/;
      for (lines($save)) { next if /^#/; s/\[\d+:\d+\]/[0:0]/; $fwCache{$t} .= $_ }
    }
    if (have('nft')) { push @{ $fwCache{order} }, 'nft'; $fwCache{nft} = join '', @nft }
    $add->($_, $fwCache{$_}) for @{ $fwCache{order} };
    %fwCache = () if $legacy;
  } else {
    $add->($_, $fwCache{$_}) for @{ $fwCache{order} };
  }
  $add->('sysctls', '');
  my @queue = ('/proc/sys/net/ipv4', '/proc/sys/net/ipv6');
  while (@queue) {
    my $dir = shift @queue;
    opendir(my $dh, $dir) or next;
    for my $name (grep { !/^\.\.?$/ } readdir $dh) {
      my $path = "$dir/$name";
      next if $name eq 'neigh' || $name eq 'base_reachable_time' || $path =~ m{/route/gc_};
      # One look-up per entry (each costs the kernel a sysctl table walk): open it, then ask the handle.
      open(my $fh, '<', $path) or next;
      if (-d $fh) { push @queue, $path; next }
      (my $key = substr($path, 10)) =~ tr{/}{.};
      for (<$fh>) { chomp; $add->('sysctls', "$key = $_\n") }
    }
  }
  $add->('files', '');
  my @walk = map { ["/.hooksmith/$_", (lstat "/.hooksmith/$_")[0], $_] } grep { -d "/.hooksmith/$_" } qw(upper tmp home);
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
