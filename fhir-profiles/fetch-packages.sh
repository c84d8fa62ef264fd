#!/usr/bin/env bash
# Fills the FHIR package cache that SUSHI (and the HL7 validator) read, without packages.fhir.org:
#
#   hl7.fhir.dk.core#3.7.0   from packages/hl7.fhir.dk.core-3.7.0.tgz (a copy of shared/fhir-packages/; the adapter loads it too)
#   hl7.fhir.r4.core#4.0.1   built from two npm packages, because npm has no hl7.fhir.r4.core version:
#                            hl7.fhir.r4.corexml@4.0.1 (the core package in XML: gives the exact file list) and
#                            hl7.fhir.r4.examples@4.0.1 (every resource of the R4 spec in JSON, the conformance
#                            resources with snapshots): each core file is taken as JSON from the examples package;
#                            the 3 the examples package lacks (structuredefinition-{json,rdf,xml}-type) are
#                            converted from the XML with fhir-tool (a dependency of the pinned SUSHI).
#
# Every input is checked against a pinned SHA-256. A package already in the cache (same name and version in its
# package.json) is left alone, so a cache that holds the official packages keeps them; --force rebuilds.
#
# The cache is ~/.fhir/packages (SUSHI reads no other). Environment: IPS_SHARED_FHIR_PACKAGES (default
# fhir-profiles/packages). Needs node, npm, tar, sha256sum; runs `npm ci` here if node_modules is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=$HOME/.fhir/packages   # where SUSHI (fhir-package-loader) and the HL7 validator look
shared=${IPS_SHARED_FHIR_PACKAGES:-$here/packages}
force=false
[[ ${1:-} == --force ]] && force=true

DK_CORE_TGZ=hl7.fhir.dk.core-3.7.0.tgz
DK_CORE_SHA256=63bfc65728faecfd88ee9322e91a042d9e25adea711b290eeb1d91f6db07867f
R4_EXAMPLES=hl7.fhir.r4.examples@4.0.1
R4_EXAMPLES_SHA256=dce87f1b5b9341867033f7d1f544fa1b5232503f6d62813887ac6b8a8b6cb682
R4_COREXML=hl7.fhir.r4.corexml@4.0.1
R4_COREXML_SHA256=ed1512ab44ac5177e429decc604cb62263cc66902b44a61199cf08f2b566030f

work=$(mktemp -d "${TMPDIR:-/tmp}/ips-fhir-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"

log() { printf 'fetch-packages: %s\n' "$*" >&2; }

check_sha256() { # file expected
    local actual
    actual=$(sha256sum "$1" | cut -d' ' -f1)
    if [[ $actual != "$2" ]]; then
        log "checksum mismatch for $1: expected $2, got $actual"
        exit 1
    fi
}

cached() { # name version: true when the cache holds that package
    local json=$cache/$1#$2/package/package.json
    [[ $force == false && -f $json ]] && node -e '
        const p = require(process.argv[1]);
        process.exit(p.name === process.argv[2] && p.version === process.argv[3] ? 0 : 1)' "$json" "$1" "$2"
}

install_dir() { # name version dir-holding-package/
    local target=$cache/$1#$2
    rm -rf "$target.tmp" "$target"
    mv "$3" "$target.tmp"
    mv "$target.tmp" "$target"
    log "cached $1#$2 in $target ($(find "$target/package" -maxdepth 1 -name '*.json' | wc -l) JSON files)"
}

npm_pack() { # spec sha256 -> prints the tarball path
    local file
    file=$(cd "$work" && npm pack --silent --no-update-notifier "$1" | tail -1)
    check_sha256 "$work/$file" "$2"
    printf '%s\n' "$work/$file"
}

# hl7.fhir.dk.core#3.7.0, from the shared tarball
if cached hl7.fhir.dk.core 3.7.0; then
    log "hl7.fhir.dk.core#3.7.0 already cached"
else
    [[ -f $shared/$DK_CORE_TGZ ]] || { log "missing $shared/$DK_CORE_TGZ (set IPS_SHARED_FHIR_PACKAGES)"; exit 1; }
    check_sha256 "$shared/$DK_CORE_TGZ" "$DK_CORE_SHA256"
    mkdir -p "$work/dk-core"
    tar -xzf "$shared/$DK_CORE_TGZ" -C "$work/dk-core"
    install_dir hl7.fhir.dk.core 3.7.0 "$work/dk-core"
fi

# hl7.fhir.r4.core#4.0.1, assembled from hl7.fhir.r4.corexml and hl7.fhir.r4.examples on npm
if cached hl7.fhir.r4.core 4.0.1; then
    log "hl7.fhir.r4.core#4.0.1 already cached"
else
    [[ -d $here/node_modules/fhir-tool ]] || (cd "$here" && npm ci --no-audit --no-fund --no-update-notifier --loglevel=error)
    corexml=$(npm_pack "$R4_COREXML" "$R4_COREXML_SHA256")
    examples=$(npm_pack "$R4_EXAMPLES" "$R4_EXAMPLES_SHA256")
    mkdir -p "$work/xml" "$work/examples" "$work/core/package"
    tar -xzf "$corexml" -C "$work/xml"
    tar -xzf "$examples" -C "$work/examples"
    (cd "$here" && node - "$work/xml/package" "$work/examples/package" "$work/core/package") <<'EOF'
const fs = require('fs');
const path = require('path');
const { Fhir } = require('fhir-tool');
const [xmlDir, jsonDir, outDir] = process.argv.slice(2);
const converter = new Fhir();
let copied = 0;
const converted = [];
for (const name of fs.readdirSync(xmlDir).sort()) {
  if (!name.endsWith('.xml')) continue;
  const base = name.slice(0, -4);
  const json = path.join(jsonDir, base + '.json');
  if (fs.existsSync(json)) {
    fs.copyFileSync(json, path.join(outDir, base + '.json'));
    copied++;
  } else {
    const resource = converter.xmlToObj(fs.readFileSync(path.join(xmlDir, name), 'utf8'));
    fs.writeFileSync(path.join(outDir, base + '.json'), JSON.stringify(resource, null, 2) + '\n');
    converted.push(base);
  }
}
const xmlPackage = JSON.parse(fs.readFileSync(path.join(xmlDir, 'package.json'), 'utf8'));
const packageJson = Object.assign({}, xmlPackage, {
  name: 'hl7.fhir.r4.core',
  description: xmlPackage.description + ' (assembled by fhir-profiles/fetch-packages.sh from npm\'s ' +
    'hl7.fhir.r4.corexml@4.0.1 file list and hl7.fhir.r4.examples@4.0.1 JSON)'
});
fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify(packageJson, null, 2) + '\n');
console.error(`fetch-packages: hl7.fhir.r4.core: ${copied} JSON files from the examples package, ` +
  `${converted.length} converted from XML (${converted.join(', ')})`);
EOF
    install_dir hl7.fhir.r4.core 4.0.1 "$work/core"
fi
