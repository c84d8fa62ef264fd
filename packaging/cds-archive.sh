#!/bin/sh
# Unpacks ips-bridge.jar into DIR and writes a class data sharing archive for it (DIR/ips-bridge.jsa), so that the
# adapter starts with its classes already parsed and verified (README, "Install and run"):
#   packaging/cds-archive.sh target/ips-bridge-*.jar /opt/ips-bridge [packaging/jvm.options]
#   java @jvm.options -XX:SharedArchiveFile=/opt/ips-bridge/ips-bridge.jsa -jar /opt/ips-bridge/ips-bridge.jar ...
# Run it again after every upgrade, with the java that will run the adapter, and keep DIR where it was made: the
# archive is only used with the same java and the same jar paths (otherwise java starts without it, as slowly as
# before).
#
# The training run starts the application context once (spring.context.exit=onRefresh) on throwaway keys and an
# in-memory database, and connects to nothing. The archive is made from its class list in a second step, without the
# lambda forms: OpenJDK 17 (17.0.15 tried) crashes writing those for this application, also with
# -XX:ArchiveClassesAtExit (SystemDictionaryShared::adjust_lambda_proxy_class_dictionary).
set -eu
JAR=$1
DIR=$2
OPTIONS=${3:-$(dirname "$0")/jvm.options}
JAVA=${JAVA:-java}

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
OPTIONS=$(cd "$(dirname "$OPTIONS")" && pwd)/$(basename "$OPTIONS")
TRAIN=$(mktemp -d)
trap 'rm -rf "$TRAIN"' EXIT

rm -rf "$DIR/lib" "$DIR/ips-bridge.jar"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --force --destination "$DIR" --application-filename ips-bridge.jar \
    >/dev/null

"$JAVA" -jar "$DIR/ips-bridge.jar" init --dir "$TRAIN/conf" >/dev/null
(cd "$TRAIN" && "$JAVA" @"$OPTIONS" -XX:DumpLoadedClassList="$TRAIN/classes.lst" -Dspring.context.exit=onRefresh \
    -jar "$DIR/ips-bridge.jar" --spring.config.additional-location="$TRAIN/conf/" --server.port=0 \
    --spring.datasource.url="jdbc:h2:mem:training;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
    --ips.sources[0].id=training --ips.sources[0].fhir-base-url=https://ehr.invalid/fhir \
    --ips.jobcenters[0].id=training --ips.jobcenters[0].base-url=https://jobcenter.invalid/api/ips/v1 \
    "--ips.jobcenters[0].organization-identifiers[0]=urn:oid:1.2.208.176.1.1|1234561000016002" \
    >"$TRAIN/training.log" 2>&1) || { cat "$TRAIN/training.log" >&2; exit 1; }

grep -v '^@lambda-' "$TRAIN/classes.lst" >"$TRAIN/classes-without-lambdas.lst"
rm -f "$DIR/ips-bridge.jsa"
"$JAVA" @"$OPTIONS" -Xshare:dump -XX:SharedClassListFile="$TRAIN/classes-without-lambdas.lst" \
    -XX:SharedArchiveFile="$DIR/ips-bridge.jsa" -jar "$DIR/ips-bridge.jar" >"$TRAIN/dump.log" 2>&1 \
    || { cat "$TRAIN/dump.log" >&2; exit 1; }
echo "Wrote $DIR/ips-bridge.jar, $DIR/lib/ and $DIR/ips-bridge.jsa"
