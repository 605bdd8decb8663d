# dkrig's JVM options: the one source for the checkout's ./dkrig and the installed bin/dkrig
# (issue 18), sourced by both; not a program of its own. It defines three functions:
#   dkrig_find_java            sets java_bin (JAVA_HOME, else java on the PATH), or exits 3
#   dkrig_exec JAR CDS_DIR SHARE ARGS...
#                              runs JAR with ARGS; CDS_DIR holds the class-data-sharing archive
#                              (made there once per jar and JVM); SHARE is the folder that bare
#                              rig, profile and suite names are looked up in after ~/.config/dkrig.
#   dkrig_utf8_for_c_locale    under the C or POSIX locale, runs the JVM under C.UTF-8 (dkrig_exec)
# Environment: DKRIG_JAVA_OPTS adds JVM options after these; DKRIG_CDS=off disables the archive.

dkrig_find_java() {
  java_bin="java"
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java_bin="$JAVA_HOME/bin/java"
  fi
  if ! command -v "$java_bin" >/dev/null 2>&1; then
    echo "dkrig: no java found: install a Java 17 runtime (apt-get install openjdk-17-jre-headless) or set JAVA_HOME" >&2
    exit 3
  fi
}

# Java decodes the command line with the locale's character set: under the C or POSIX locale (ASCII)
# `--dut "Café"` reaches dkrig as "Caf??". As Python does (PEP 538), the JVM runs under C.UTF-8
# instead when the system has that locale; another non-UTF-8 locale is left alone (dkrig then
# refuses a path it cannot name, exit 2). A UTF-8 locale costs no process: bash counts "é" as one
# character only when its own locale is UTF-8.
dkrig_utf8_for_c_locale() {
  local e_acute=$'\xc3\xa9' effective="${LC_ALL:-${LC_CTYPE:-${LANG:-}}}"
  [ "${#e_acute}" != 1 ] || return 0
  case "$effective" in
    "" | C | POSIX) ;;
    *) [ "$(locale charmap 2>/dev/null)" = ANSI_X3.4-1968 ] || return 0 ;;
  esac
  local installed
  installed=$(locale -a 2>/dev/null) || installed=""
  if grep -qixE 'C\.UTF-?8' <<<"$installed"; then
    export LC_ALL=C.UTF-8
  fi
}

dkrig_exec() {
  local jar="$1" cds_dir="$2" share="$3"
  shift 3
  dkrig_utf8_for_c_locale
  # The JVM's own warnings (a locked perf-data file, a class-data archive it cannot map) go to
  # stderr, never into a report written to stdout (--json -).
  local jvm_log=(-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr)
  local flags=("${jvm_log[@]}" -Dsun.security.smartcardio.t0GetResponse=false -Dsun.security.smartcardio.t1GetResponse=false)

  # Short commands start lean (issue 10): no C2, the serial collector, no perf-data file. A version
  # probe then costs little more than `java -version`; pairings keep the full JIT.
  case "${1:-}" in
    --version|-V)
      # shellcheck disable=SC2086 # DKRIG_JAVA_OPTS is a list of options
      exec "$java_bin" "${jvm_log[@]}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData ${DKRIG_JAVA_OPTS:-} \
        -jar "$jar" "$@" ;;
    -h|--help|help|readers|state|verifier|doctor|replay|rigs|profiles|suites|completion)
      flags+=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC) ;;
    pair)
      # One pairing is over before C2 pays back its compile threads: C1 alone takes a quarter less
      # CPU and about 0.1 s less wall time (bench/results.md). Soaks (--repeat, --parallel) keep C2.
      local soak=0 prev="" arg
      for arg in "$@"; do
        case "$prev|$arg" in
          --repeat\|*|--parallel\|*) [ "$arg" = 1 ] || soak=1 ;;
          *\|--repeat=*|*\|--parallel=*) [ "${arg#*=}" = 1 ] || soak=1 ;;
        esac
        prev="$arg"
      done
      [ "$soak" = 0 ] && flags+=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC) ;;
  esac

  # Class-data sharing (issues 10 and 20): an archive of the classes a pairing loads, made once per
  # jar and JVM, cuts about a quarter of the time from launch to the first APDU. It is a static
  # archive made from the class list of two training pairings plus the JDK's own default list: a
  # dynamic archive (-XX:ArchiveClassesAtExit) of JDK 17 leaves out class files older than Java 6,
  # so picocli's 170 classes were loaded and verified from the jar at every launch (~30 ms). Its
  # name carries the JVM and the jar (path, size, times, inode), so an upgraded jar or another JDK
  # makes a new one, and the archive of an older jar for the same JVM is removed then.
  # DKRIG_CDS=off disables it; a folder that cannot be made only costs the speed-up.
  if [ "${DKRIG_CDS:-on}" != "off" ] && mkdir -p -m 700 "$cds_dir" 2>/dev/null && [ -w "$cds_dir" ]; then
    local jvm_id jar_id jsa old cds_state jsa_make java_real
    java_real=$(readlink -f "$(command -v "$java_bin")")
    jvm_id=$(echo "$java_real" | cksum | cut -d' ' -f1)
    # The jar's path, size, mtime, inode and ctime: release builds stamp every file with the commit's
    # time, so size and mtime alone could name two jars alike (and a digest cached for one would be
    # reported for the other); a new or rewritten file has a new inode or ctime.
    jar_id=$(stat -L -c '%n %s %Y %i %Z' "$(readlink -f "$jar")" | cksum | cut -d' ' -f1)
    jsa="$cds_dir/dkrig-$jvm_id-$jar_id-s.jsa"
    # Listings run at each TAB of shell completion: they use an archive but never wait for one.
    case "${1:-}" in rigs|profiles|suites|completion) jsa_make=0 ;; *) jsa_make=1 ;; esac
    # An archive this JVM could not make is not tried again for the same jar (a marker beside it).
    if [ ! -f "$jsa" ] && [ ! -f "${jsa%.jsa}.failed" ] && [ "$jsa_make" = 1 ]; then
      exec 8>"$cds_dir/.cds.lock"
      if flock -n 8; then
        cds_state=$(mktemp -d)
        # A first pairing leaves a DK record, so that the training run reads one before its first
        # APDU as a lab's state folder makes every run do (Jackson's record reader, issue 20).
        "$java_bin" "${flags[@]}" -jar "$jar" pair --test-mode -q --no-phase4 \
          --state-dir "$cds_state" >/dev/null 2>&1 || true
        # Two pairings with every evidence file and a summary: the classes of one pairing, of a
        # soak and of several pads (what PC/SC needs is loaded without a reader). The JDK's default
        # list keeps what its own archive held for the other commands.
        if "$java_bin" "${flags[@]}" -XX:DumpLoadedClassList="$cds_state/classes" \
          -Ddkrig.cds.training=true -jar "$jar" pair --test-mode -q --repeat 2 \
          --state-dir "$cds_state" --report-dir "$cds_state/reports" >/dev/null 2>&1; then
          cat "$(dirname "$(dirname "$java_real")")/lib/classlist" >>"$cds_state/classes" 2>/dev/null || true
          if "$java_bin" -Xshare:dump -XX:SharedClassListFile="$cds_state/classes" \
            -XX:SharedArchiveFile="$jsa.tmp" -cp "$jar" >/dev/null 2>&1; then
            mv -f "$jsa.tmp" "$jsa"
          else
            rm -f "$jsa.tmp"
            : >"${jsa%.jsa}.failed"
          fi
        fi
        rm -rf "$cds_state"
        for old in "$cds_dir/dkrig-$jvm_id-"*.jsa "$cds_dir/dkrig-$jvm_id-"*.sha256 "$cds_dir/dkrig-$jvm_id-"*.failed; do
          [ "$old" = "$jsa" ] || [ "$old" = "${jsa%.jsa}.sha256" ] || [ "$old" = "${jsa%.jsa}.failed" ] || rm -f "$old"
        done
        flock -u 8
      fi
      exec 8>&-
    fi
    [ -f "$jsa" ] && flags+=(-XX:SharedArchiveFile="$jsa")
    # The jar's SHA-256 for the reports' preamble (issue 20), hashed once per jar beside its archive
    # rather than by every run (13 MB with C1 alone: a quarter of a second of CPU).
    local sum="${jsa%.jsa}.sha256" digest=""
    if [ ! -f "$sum" ] && [ "$jsa_make" = 1 ] && command -v sha256sum >/dev/null 2>&1; then
      sha256sum "$jar" 2>/dev/null | cut -d' ' -f1 >"$sum.$$" && mv -f "$sum.$$" "$sum" || rm -f "$sum.$$"
    fi
    if [ -f "$sum" ] && read -r digest <"$sum" && [[ "$digest" =~ ^[0-9a-f]{64}$ ]]; then
      flags+=(-Ddkrig.jar.sha256="$digest")
    fi
  fi

  # Several pads in one process: each reader on a PC/SC context of its own, which needs the JDK's
  # PC/SC classes opened (it costs class-data sharing its module graph, ~0.1 s, so only then).
  local pads=0
  for arg in "$@"; do
    case "$arg" in
      -r|--reader|--reader=*|-r?*) pads=$((pads + 1)) ;;
      --all-readers) pads=2 ;;
    esac
  done
  [ "$pads" -gt 1 ] && flags+=(--add-opens java.smartcardio/sun.security.smartcardio=ALL-UNNAMED)

  # shellcheck disable=SC2086 # DKRIG_JAVA_OPTS is a list of options
  exec "$java_bin" "${flags[@]}" -Ddkrig.share="$share" ${DKRIG_JAVA_OPTS:-} -jar "$jar" "$@"
}
