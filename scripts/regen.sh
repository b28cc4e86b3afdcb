#!/usr/bin/env bash
# Generate the DIALS API package from openapi.json into OUT_DIR/cmsdials_api.
#   scripts/regen.sh [OUT_DIR [SPEC]]     (defaults: generated, openapi.json)
# The package is cmsdials_api (generator-config.yaml names it), shipped in the wheel
# beside cmsdials; its imports are relative, so it works wherever it is written.
# The tag packages' __init__.py come from our template (templates/), which records
# each operation's facts for cmsdials' adapter (cmsdials/adapter.py).
# The package is generated into a scratch folder first and then swapped in whole,
# so operations removed from the spec disappear and a failed run changes nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/generated"}
spec=$(realpath "${2:-"$root/openapi.json"}")
package=cmsdials_api
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$root"
openapi-python-client generate \
  --custom-template-path templates \
  --path "$spec" \
  --config generator-config.yaml \
  --meta none \
  --output-path "$scratch/$package" >/dev/null
# The package ships type information (PEP 561), like cmsdials itself.
touch "$scratch/$package/py.typed"
find "$scratch" \( -name __pycache__ -o -name .ruff_cache \) -type d -prune -exec rm -rf {} +
mkdir -p "$out"
rm -rf "${out:?}/$package"
mv "$scratch/$package" "$out/$package"
