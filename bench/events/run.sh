#!/bin/sh
# Times RDP Mend's event reader against evtxexport (libevtx-utils) on the same file and
# prints both times and their ratio. Usage: bench/events/run.sh [BUILD_DIR] [FILE.evtx]
# Not a test: numbers depend on the machine. Needs a built librdpmend (cmake --build).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
file=${2:-$src/../shared/data/evtx/System-2012r2-schannel.evtx}
[ -f "$file" ] || { echo "no such file: $file" >&2; exit 77; }
command -v evtxexport >/dev/null || { echo "evtxexport missing (package libevtx-utils)" >&2; exit 77; }
lib=$build/src/lib/librdpmend.a
[ -f "$lib" ] || { echo "build librdpmend first: $lib" >&2; exit 2; }
tool=$build/mend-bench-events
cc -O2 -o "$tool" "$here/mend-bench-events.c" -I"$src/src/lib" "$lib" \
   $(pkg-config --cflags --libs gio-2.0 libevtx)

now () { date +%s.%N; }
best () { # best of 3 wall-clock runs of "$@", output discarded
  b=
  for _ in 1 2 3; do
    t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
    t=$(echo "$t1 - $t0" | bc)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}

echo "file: $file ($(stat -c %s "$file") bytes)"
"$tool" "$file"
"$tool" "$file" all
t_ref=$(best evtxexport -f xml "$file")
t_sch=$(best "$tool" "$file")
t_all=$(best "$tool" "$file" all)
printf 'evtxexport -f xml (every record):             %6.3f s\n' "$t_ref"
printf 'rdpmend reader, Schannel IDs only (the check): %6.3f s  ratio %.2f\n' \
       "$t_sch" "$(echo "$t_sch / $t_ref" | bc -l)"
printf 'rdpmend reader, every record rendered:         %6.3f s  ratio %.2f\n' \
       "$t_all" "$(echo "$t_all / $t_ref" | bc -l)"
