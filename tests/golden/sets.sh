# shellcheck shell=bash disable=SC2034 # sourced: its variables are its callers' to read
# SPDX-License-Identifier: Apache-2.0
# The golden JCT CDF sets, sourced by tests/golden.sh and scripts/update-golden.sh: for each,
# the inputs every registered policy is run on and the tolerance of the comparison. Paths are
# relative to the repository root. A golden file is the run's jct_cdf.csv, as gpusim wrote it.
#   default  traces/default.csv on the default cluster and scaling DB -> tests/golden/<policy>.csv
#   small    tests/data/small_trace.csv, tiny cluster and DB -> tests/golden/small/<policy>.csv
golden_sets="default small"

# golden_set NAME: sets trace, cluster, db, seed, max_ks and dir for set NAME; 1 if unknown.
golden_set() {
    case $1 in
    default)
        trace=traces/default.csv cluster=default db=default seed=1 dir=tests/golden
        max_ks=0.01 # 960 jobs: about 10 jobs' worth of CDF
        ;;
    small)
        trace=tests/data/small_trace.csv cluster=tests/data/tiny_cluster.json
        db=tests/data/tiny_db.json seed=1 dir=tests/golden/small
        max_ks=0.05 # 34 jobs: one job is 0.029 of the CDF
        ;;
    *) return 1 ;;
    esac
}

# golden_run GPUSIM POLICY OUT [ARGS...]: the run behind a golden file (from the repository
# root), its result folder OUT; the golden is OUT/jct_cdf.csv.
golden_run() {
    local g=$1 p=$2 o=$3
    shift 3
    "$g" run --trace "$trace" --policy "$p" --cluster "$cluster" --db "$db" --seed "$seed" \
        --allow-unschedulable --no-progress -q --out "$o" "$@"
}
