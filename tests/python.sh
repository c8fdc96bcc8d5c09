#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Python package's tests (python/tests) with Debian's Python 3, cffi and pandas (scripts/
# deps.sh --test installs them; exit 77, skipped, when they are missing).
#   tests/python.sh GPUSIM SOURCE_DIR LIBGPUSIM PLUGIN BINARY_DIR
set -u
gpusim=$1
src=$2
export GPUSIM=$gpusim GPUSIM_SOURCE_DIR=$src GPUSIM_LIBRARY=$3 GPUSIM_PLUGIN=$4
export GPUSIM_CFLAGS="-I$src/include -I$5/include"
py=/usr/bin/python3 # Debian's, with its packages (a python3 earlier on the PATH may lack them)
if ! [ -x "$py" ] || ! "$py" -c 'import cffi, pandas' 2>/dev/null; then
    echo "skipped: $py with cffi and pandas is missing (scripts/deps.sh --test)" >&2
    exit 77
fi
# A sanitized libgpusim needs its runtime loaded first; Python itself is not checked for leaks.
if ldd "$GPUSIM_LIBRARY" | grep -q libasan; then
    LD_PRELOAD=$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)
    export LD_PRELOAD ASAN_OPTIONS=detect_leaks=0
fi
export PYTHONPATH=$src/python PYTHONDONTWRITEBYTECODE=1
cd "$src/python/tests" || exit 1
# the declarations first: when they are wrong, the other tests could only crash
"$py" -m unittest -v test_gpusim.Layout || exit 1
exec "$py" -m unittest -v test_gpusim
