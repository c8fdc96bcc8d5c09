# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Shell helpers shared by the workflow scripts (sourced, never run): finding gpusim, errors in
# gpusim's style, absolute paths. Each script sets gs_prog to its own name first.

gs_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# "<prog>: error: <msg>" on stderr, exit 1 (a run-time failure).
gs_die() {
    echo "${gs_prog:-gpusim}: error: $*" >&2
    exit 1
}

# "<prog>: <msg>" plus a hint on stderr, exit 2 (a usage error).
gs_usage_error() {
    echo "${gs_prog:-gpusim}: $*" >&2
    echo "Try '${gs_prog:-gpusim} --help'." >&2
    exit 2
}

# The value of option $1, which must be there ($2 is what followed it on the command line).
gs_need_value() {
    [ -n "${2+x}" ] || gs_usage_error "option '$1' needs a value"
}

# Sets GPUSIM to the gpusim to use: $GPUSIM when set, else this checkout's build/gpusim, else
# the one on PATH. Made absolute, so a command line that names it works from any folder.
gs_find_gpusim() {
    local g=${GPUSIM:-}
    if [ -z "$g" ]; then
        if [ -x "$gs_repo/build/gpusim" ]; then
            g=$gs_repo/build/gpusim
        else
            g=$(command -v gpusim || true)
        fi
    fi
    [ -n "$g" ] || gs_die "gpusim not found: build it (scripts/build.sh) or set GPUSIM=/path/to/gpusim"
    [ -x "$g" ] || gs_die "GPUSIM '$g' is not an executable file"
    case $g in
    /*) ;;
    */*) g=$(cd "$(dirname "$g")" && pwd)/$(basename "$g") ;;
    *) g=$(command -v "$g") ;;
    esac
    GPUSIM=$g
}

# The absolute form of path $1 (which need not exist; its parent folder does not either).
gs_abspath() {
    case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "${1#./}" ;;
    esac
}

# The policies gpusim knows, one per line, in registry order.
gs_policies() {
    "$GPUSIM" policies | awk 'NF { print $1 }'
}

# Whether stderr is a terminal, or progress was asked for ($1: 1 asked, 0 refused, "" default).
gs_want_progress() {
    case ${1:-} in
    1) return 0 ;;
    0) return 1 ;;
    *) [ -t 2 ] ;;
    esac
}

# $1 as a gnuplot string literal (backslashes and double quotes escaped).
gs_gp_str() {
    local s=${1//\\/\\\\}
    printf '"%s"' "${s//\"/\\\"}"
}

# Checks the plot options every plot script takes: output base $1 (given), size $2 (W,H) and
# that gnuplot is installed.
gs_plot_checks() {
    [ -n "$1" ] || gs_usage_error "missing -o BASE"
    [[ $2 =~ ^[1-9][0-9]*,[1-9][0-9]*$ ]] || gs_usage_error "--size needs W,H in pixels, got '$2'"
    command -v gnuplot >/dev/null ||
        gs_die "gnuplot is not installed (Debian: apt-get install gnuplot-nox)"
}

# Renders gnuplot script $1 at size $2 into BASE.png and BASE.svg ($3, without extension),
# through temporary files in folder $4 so that a failed plot leaves no half-written figure.
gs_plot_render() {
    mkdir -p "$(dirname "$3")"
    gnuplot -e "set terminal pngcairo size $2 noenhanced font 'DejaVu Sans,11'; set output '$4/out.png'" \
        "$1"
    gnuplot -e "set terminal svg size $2 dynamic noenhanced font 'DejaVu Sans,11'; set output '$4/out.svg'" \
        "$1"
    mv "$4/out.png" "$3.png"
    mv "$4/out.svg" "$3.svg"
}

# An awk function (mawk or gawk) that splits CSV record $1 into f[1..n] and returns n: RFC 4180
# quoting (a quoted field may hold commas and doubled quotes, not newlines). Fast path when the
# record has no quote.
# shellcheck disable=SC2016
gs_awk_csv='
function csv(line, f,   n, i, c, q, s, len) {
    if (index(line, "\"") == 0) return split(line, f, ",")
    n = 0; s = ""; q = 0; len = length(line)
    for (i = 1; i <= len; i++) {
        c = substr(line, i, 1)
        if (q) {
            if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { s = s c; i++ } else q = 0 }
            else s = s c
        } else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = s; s = "" }
        else s = s c
    }
    f[++n] = s
    return n
}'

# The runs gpusim merge finds in folders $3... (result folders or folders above them), one line
# "LABEL<TAB>RUN_FOLDER" each, in merge's order; LABEL is the value of parameter column $2
# (policy, seed, knowledge_error, param.<key>, run, ...). $1 is a scratch folder.
gs_runs() {
    local tmpd=$1 by=$2
    shift 2
    "$GPUSIM" merge -o "$tmpd/runs.csv" "$@" || exit 1
    awk -v by="$by" "$gs_awk_csv"'
        NR == 1 { n = csv($0, h); for (k = 1; k <= n; k++) if (h[k] == by) c = k
                  if (!c) { print "no column \x27" by "\x27 in the runs table" > "/dev/stderr"; exit 3 }
                  next }
        { csv($0, f); print f[c] "\t" f[1] }' "$tmpd/runs.csv" ||
        gs_die "--by '$by': not a column of gpusim merge's runs table"
}
