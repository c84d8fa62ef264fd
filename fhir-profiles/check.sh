#!/usr/bin/env bash
# Builds the FSH sources with the pinned SUSHI into a temporary copy and fails when
#   - SUSHI reports an error, or a warning other than the three offline ones (automatic dependencies
#     hl7.fhir.uv.tools.r4, hl7.terminology.r4 and hl7.fhir.uv.extensions.r4 #latest cannot be resolved offline),
#   - the result differs from the committed fsh-generated/ (SUSHI writes no timestamps, so the comparison is exact),
#   - an example breaks one of the profiles' invariants, or an invalid/ fixture does not break the ones it should
#     (check-invariants.js).
#
# ./check.sh           check
# ./check.sh --update  the same, but copy the new result into fsh-generated/ instead of failing on a difference
#
# SUSHI runs offline: FPL_REGISTRY points at a closed local port, so only the package cache (fetch-packages.sh) is
# used and no "latest" version from a registry can change the output.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
update=false
[[ ${1:-} == --update ]] && update=true

pinned=$(node -p 'require("./package.json").dependencies["fsh-sushi"]')
installed=$(node -p 'try { require("./node_modules/fsh-sushi/package.json").version } catch (e) { "" }')
if [[ $installed != "$pinned" || ! -d node_modules/fhirpath ]]; then
    npm ci --no-audit --no-fund --no-update-notifier --loglevel=error
fi

./fetch-packages.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/ips-fsh-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp sushi-config.yaml "$work/"
cp -r input "$work/"

echo "check: sushi $(node_modules/.bin/sushi --version | head -1)"
status=0
FPL_REGISTRY=http://127.0.0.1:9 node_modules/.bin/sushi build "$work" > "$work/sushi.log" 2>&1 || status=$?
summary=$(grep -E '[0-9]+ Errors? +[0-9]+ Warnings?' "$work/sushi.log" | tail -1 || true)
echo "check: ${summary:-no SUSHI summary}"
errors=$(sed -nE 's/.* ([0-9]+) Errors? .*/\1/p' <<<"$summary")
unexpected=$(grep -E '^(warn|error)' "$work/sushi.log" \
    | grep -vE '^warn +Failed to load automatically-provided hl7\.(fhir\.uv\.tools\.r4|terminology\.r4|fhir\.uv\.extensions\.r4)#latest' \
    || true)
if [[ $status -ne 0 || ${errors:-1} -ne 0 || -n $unexpected ]]; then
    cat "$work/sushi.log"
    echo "check: FAILED: SUSHI exit $status, ${errors:-?} error(s); unexpected messages:" >&2
    printf '%s\n' "$unexpected" >&2
    exit 1
fi

if ! diff -r fsh-generated "$work/fsh-generated" > "$work/diff.txt"; then
    if [[ $update == true ]]; then
        rm -rf fsh-generated
        cp -r "$work/fsh-generated" fsh-generated
        echo "check: fsh-generated/ updated"
    else
        head -100 "$work/diff.txt"
        echo "check: FAILED: fsh-generated/ is not what SUSHI makes of input/fsh; run ./check.sh --update and commit" >&2
        exit 1
    fi
else
    echo "check: fsh-generated/ is up to date"
fi

node check-invariants.js "$work/fsh-generated/resources"
