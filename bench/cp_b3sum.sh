#!/bin/sh
# Peer (b): `cp -r`, `sync`, `b3sum` of the source into a manifest, the destination dropped
# from the page cache, then `b3sum --check` of the destination against that manifest.
# Usage: cp_b3sum.sh SOURCE_DIR DEST_PARENT PYTHON
set -eu
src=$1
parent=$2
python=$3
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$src")
manifest="$parent/.b3sum-manifest"
cp -r "$src" "$parent/"
sync
(cd "$(dirname "$src")" && find "$name" -type f -print0 | xargs -0 b3sum) > "$manifest"
"$python" "$here/measure.py" "$parent/$name"
cd "$parent" && b3sum --check --quiet "$manifest"
