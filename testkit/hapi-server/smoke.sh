#!/usr/bin/env bash
# Smoke test of the test-kit HAPI FHIR JPA server: build it, start it on a free port, exercise every FHIR feature
# IPS Bridge uses against it, read /stats, optionally load N patients (rate), stop it.
#
#   testkit/hapi-server/smoke.sh                 # build, start, checks, stop
#   testkit/hapi-server/smoke.sh --no-build      # use the jar already in target/
#   testkit/hapi-server/smoke.sh --load 2000     # also load 2,000 patients with a Consent each (load.py) and page
#
# JAVA_OPTS (default -Xmx768m) is passed to the server's JVM. Needs curl and python3. Exit code 0: all checks passed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
JAR="$HERE/target/ips-bridge-hapi-server.jar"
BUILD=1
LOAD=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --load) LOAD=$2; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$BUILD" = 1 ]; then
  echo "== build: mvn -B -q -f $HERE/pom.xml package -DskipTests"
  mvn -B -q -f "$HERE/pom.xml" package -DskipTests
fi
[ -f "$JAR" ] || { echo "no $JAR: build first" >&2; exit 2; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ROOT="http://localhost:$PORT"
B="$ROOT/fhir"
LOG=$(mktemp /tmp/hapi-server-smoke.XXXXXX.log)
FHIR_JSON='Content-Type: application/fhir+json'
IPS='http://ipsbridge.dk/fhir/CodeSystem/ips'

echo "== start on port $PORT (log: $LOG)"
START=$(date +%s.%N)
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx768m} -jar "$JAR" --server.port="$PORT" >"$LOG" 2>&1 &
PID=$!
stop() {
  if kill -0 "$PID" 2>/dev/null; then
    kill "$PID"
    wait "$PID" 2>/dev/null || true
    echo "== stopped (pid $PID)"
  fi
}
trap stop EXIT

for _ in $(seq 1 720); do
  if curl -sf -o /dev/null "$B/metadata"; then break; fi
  kill -0 "$PID" 2>/dev/null || { echo "server died:"; tail -40 "$LOG"; exit 1; }
  sleep 0.25
done
curl -sf -o /dev/null "$B/metadata" || { echo "server not up after 180 s"; exit 1; }
UP=$(python3 -c "import time; print(f'{time.time() - $START:.1f}')")
echo "== up: first successful GET /fhir/metadata ${UP} s after start; RSS $(($(ps -o rss= -p "$PID") / 1024)) MB"

FAILED=0
pass() { echo "PASS  $1"; }
fail() { echo "FAIL  $1"; FAILED=$((FAILED + 1)); }
# expect NAME PYTHON-EXPRESSION JSON: the expression over b (the parsed JSON) must be true
expect() {
  local name=$1 expr=$2 json=$3
  if printf '%s' "$json" | python3 -c "
import json, sys
b = json.load(sys.stdin)
ids = [e['resource']['resourceType'] + '/' + e['resource']['id'] for e in b.get('entry', []) if 'resource' in e]
sys.exit(0 if ($expr) else 1)" 2>/dev/null; then
    pass "$name"
  else
    fail "$name"
    printf '      got: %.600s\n' "$json"
  fi
}
next_link() { python3 -c 'import json,sys; b=json.load(sys.stdin); print(next((l["url"] for l in b.get("link",[]) if l["relation"]=="next"), ""))'; }
entry_ids() { python3 -c 'import json,sys; b=json.load(sys.stdin); print(" ".join(e["resource"]["id"] for e in b.get("entry",[])))'; }

curl -s -X POST "$ROOT/stats/reset" >/dev/null

echo "== the brief's sequence"
R=$(curl -s -X PUT "$B/Patient/p1" -H "$FHIR_JSON" -d '{"resourceType":"Patient","id":"p1",
  "identifier":[{"system":"urn:oid:1.2.208.176.1.2","value":"0101010101"}],"name":[{"family":"Before"}]}')
expect "PUT Patient/p1 creates it with the client-assigned id" "b['id'] == 'p1' and b['meta']['versionId'] == '1'" "$R"

R=$(curl -s -X POST "$B" -H "$FHIR_JSON" -d '{"resourceType":"Bundle","type":"transaction","entry":[
  {"resource":{"resourceType":"Consent","status":"active",
    "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
    "category":[{"coding":[{"system":"'$IPS'","code":"ips-data-sharing"}]}],"patient":{"reference":"Patient/p1"}},
   "request":{"method":"POST","url":"Consent"}},
  {"resource":{"resourceType":"ServiceRequest","status":"active","intent":"order",
    "code":{"coding":[{"system":"'$IPS'","code":"ips-referral"}]},"subject":{"reference":"Patient/p1"}},
   "request":{"method":"POST","url":"ServiceRequest"}}]}')
expect "POST transaction (Consent + ServiceRequest)" \
  "b['type'] == 'transaction-response' and [e['response']['status'][:3] for e in b['entry']] == ['201', '201']" "$R"

R=$(curl -s "$B/Consent?category=$IPS|ips-data-sharing&_lastUpdated=ge2000-01-01&_sort=_lastUpdated&_count=10&_elements=patient")
expect "GET Consent?category=..|ips-data-sharing&_lastUpdated=ge..&_sort=_lastUpdated&_count=10&_elements=patient" \
  "len(ids) == 1 and b['entry'][0]['resource']['patient']['reference'] == 'Patient/p1' and 'category' not in b['entry'][0]['resource']" "$R"

R=$(curl -s -X POST "$B/ServiceRequest/_search" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode "code=$IPS|ips-referral" --data-urlencode "subject=Patient/p1")
expect "POST ServiceRequest/_search (form: code, subject=Patient/p1)" \
  "len(ids) == 1 and b['entry'][0]['resource']['subject']['reference'] == 'Patient/p1'" "$R"

R=$(curl -s "$ROOT/stats")
echo "      /stats: $R"
expect "GET /stats counts them (2 searches, 2 other: update + transaction)" \
  "b['search'] == 2 and b['read'] == 0 and b['other'] == 2 and b['total'] == 4 and b['byOperation'] == {'SEARCH_TYPE': 2, 'TRANSACTION': 1, 'UPDATE': 1}" "$R"

echo "== more of what the adapter uses"
python3 - "$IPS" >/tmp/hapi-smoke-tx.$$.json <<'EOF'
import json, sys
ips = sys.argv[1]
e = []
for i in range(2, 27):
    e.append({"resource": {"resourceType": "Patient", "id": f"p{i}",
                           "identifier": [{"system": "urn:ipsbridge:test:patient", "value": f"v{i}"}]},
              "request": {"method": "PUT", "url": f"Patient/p{i}"}})
    e.append({"resource": {"resourceType": "Consent", "id": f"c{i}", "status": "active", "scope": {"text": "x"},
                           "category": [{"coding": [{"system": ips, "code": "ips-data-sharing"}]}],
                           "patient": {"reference": f"Patient/p{i}"}},
              "request": {"method": "PUT", "url": f"Consent/c{i}"}})
e.append({"resource": {"resourceType": "EpisodeOfCare", "id": "eoc1", "status": "active",
                       "type": [{"coding": [{"system": ips, "code": "ips-course"}]}],
                       "patient": {"reference": "Patient/p2"}},
          "request": {"method": "PUT", "url": "EpisodeOfCare/eoc1"}})
e.append({"resource": {"resourceType": "Appointment", "id": "ap1", "status": "booked",
                       "serviceType": [{"coding": [{"system": ips, "code": "ips-meeting"}]}],
                       "participant": [{"actor": {"reference": "Patient/p2"}, "status": "accepted"}]},
          "request": {"method": "PUT", "url": "Appointment/ap1"}})
e.append({"resource": {"resourceType": "Goal", "id": "g1", "lifecycleStatus": "active",
                       "category": [{"coding": [{"system": ips, "code": "ips-goal"}]}],
                       "description": {"text": "a job"}, "subject": {"reference": "Patient/p3"}},
          "request": {"method": "PUT", "url": "Goal/g1"}})
json.dump({"resourceType": "Bundle", "type": "transaction", "entry": e}, sys.stdout)
EOF
R=$(curl -s -X POST "$B" -H "$FHIR_JSON" --data-binary "@/tmp/hapi-smoke-tx.$$.json")
rm -f "/tmp/hapi-smoke-tx.$$.json"
expect "transaction of 53 PUTs (25 patients + Consents, EpisodeOfCare, Appointment, Goal)" \
  "len(b['entry']) == 53 and all(e['response']['status'].startswith('201') for e in b['entry'])" "$R"

# paging through next links, _sort=_lastUpdated
U="$B/Consent?category=$IPS|ips-data-sharing&_lastUpdated=ge2000-01-01&_sort=_lastUpdated&_count=10&_elements=patient"
PAGES=0; ALL=""
while [ -n "$U" ]; do
  R=$(curl -s "$U"); PAGES=$((PAGES + 1))
  ALL="$ALL $(printf '%s' "$R" | entry_ids)"
  U=$(printf '%s' "$R" | next_link)
done
N=$(echo $ALL | wc -w); UNIQ=$(echo $ALL | tr ' ' '\n' | sort -u | wc -l)
if [ "$PAGES" = 3 ] && [ "$N" = 26 ] && [ "$UNIQ" = 26 ]; then pass "_count=10 + next links: 26 Consents in 3 pages, none twice"; else fail "paging: pages=$PAGES n=$N unique=$UNIQ"; fi

R=$(curl -s "$B/Consent?_sort=_lastUpdated&_count=100&_elements=patient")
expect "_sort=_lastUpdated: meta.lastUpdated ascending" \
  "len(ids) == 26 and [e['resource']['meta']['lastUpdated'] for e in b['entry']] == sorted(e['resource']['meta']['lastUpdated'] for e in b['entry'])" "$R"
R=$(curl -s "$B/Consent?_sort=-_lastUpdated&_count=100&_elements=patient")
expect "_sort=-_lastUpdated: meta.lastUpdated descending" \
  "len(ids) == 26 and [e['resource']['meta']['lastUpdated'] for e in b['entry']] == sorted((e['resource']['meta']['lastUpdated'] for e in b['entry']), reverse=True)" "$R"

R=$(curl -s -X POST "$B/Consent/_search" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode "category=$IPS|ips-data-sharing" --data-urlencode "_count=10" --data-urlencode "_sort=_lastUpdated")
NEXT=$(printf '%s' "$R" | next_link)
R2=$(curl -s "$NEXT")
expect "POST Consent/_search: next link pages on (GET _getpages)" "len(ids) == 10" "$R2"

R=$(curl -s "$B/Consent?_lastUpdated=ge2100-01-01")
expect "_lastUpdated=ge2100-01-01: nothing" "b.get('total') == 0 and len(ids) == 0" "$R"
R=$(curl -s "$B/Consent?_lastUpdated=lt2000-01-01")
expect "_lastUpdated=lt2000-01-01: nothing" "len(ids) == 0" "$R"

R=$(curl -s "$B/Consent?patient=Patient/p2,Patient/p3,Patient/p4")
expect "Consent?patient=Patient/p2,Patient/p3,Patient/p4 (OR list)" "sorted(ids) == ['Consent/c2', 'Consent/c3', 'Consent/c4']" "$R"
R=$(curl -s "$B/Consent?category=$IPS|ips-data-sharing&patient=Patient/p5,Patient/p6,Patient/nobody")
expect "Consent?category=..&patient=a,b,unknown" "sorted(ids) == ['Consent/c5', 'Consent/c6']" "$R"
R=$(curl -s "$B/Consent?patient=p7")
expect "Consent?patient=p7 (bare id)" "ids == ['Consent/c7']" "$R"
R=$(curl -s "$B/ServiceRequest?code=$IPS|ips-referral")
expect "ServiceRequest?code=system|code" "len(ids) == 1" "$R"
R=$(curl -s "$B/ServiceRequest?code=$IPS|ips-referral&subject=Patient/p1,Patient/p2")
expect "ServiceRequest?code=..&subject=Patient/p1,Patient/p2" "len(ids) == 1" "$R"
R=$(curl -s "$B/ServiceRequest?code=$IPS|other-code")
expect "ServiceRequest?code=other code: nothing" "len(ids) == 0" "$R"
R=$(curl -s "$B/EpisodeOfCare?type=$IPS|ips-course&patient=Patient/p2")
expect "EpisodeOfCare?type=system|code&patient=" "ids == ['EpisodeOfCare/eoc1']" "$R"
R=$(curl -s "$B/Appointment?service-type=$IPS|ips-meeting&patient=Patient/p2")
expect "Appointment?service-type=system|code&patient=" "ids == ['Appointment/ap1']" "$R"
R=$(curl -s "$B/Goal?category=$IPS|ips-goal&subject=Patient/p3")
expect "Goal?category=system|code&subject=" "ids == ['Goal/g1']" "$R"
R=$(curl -s "$B/Goal?category=$IPS|ips-goal&patient=Patient/p3,Patient/p4")
expect "Goal?category=..&patient=a,b" "ids == ['Goal/g1']" "$R"
R=$(curl -s "$B/Patient?_id=p1,p2,p26,nobody")
expect "Patient?_id=p1,p2,p26,nobody" "sorted(ids) == ['Patient/p1', 'Patient/p2', 'Patient/p26']" "$R"
R=$(curl -s "$B/Consent?_id=c2,c3&_elements=patient")
expect "Consent?_id=c2,c3&_elements=patient" "sorted(ids) == ['Consent/c2', 'Consent/c3']" "$R"
R=$(curl -s "$B/Patient?identifier=urn:oid:1.2.208.176.1.2|0101010101")
expect "Patient?identifier=system|value" "ids == ['Patient/p1']" "$R"

# a repeated identical search sees a resource written in between (search results are not reused)
Q="$B/Consent?category=$IPS|ips-data-sharing&_lastUpdated=ge2000-01-01&_count=100&_elements=patient"
BEFORE=$(curl -s "$Q" | entry_ids | wc -w)
curl -s -o /dev/null -X PUT "$B/Consent/c1000" -H "$FHIR_JSON" -d '{"resourceType":"Consent","id":"c1000","status":"active",
  "scope":{"text":"x"},"category":[{"coding":[{"system":"'$IPS'","code":"ips-data-sharing"}]}],"patient":{"reference":"Patient/p1"}}'
AFTER=$(curl -s "$Q" | entry_ids | wc -w)
if [ "$AFTER" = $((BEFORE + 1)) ]; then pass "the same search repeated at once sees the new Consent ($BEFORE -> $AFTER)"; else fail "search reuse: $BEFORE -> $AFTER"; fi

R=$(curl -s -X POST "$B/Observation" -H "$FHIR_JSON" -d '{"resourceType":"Observation","status":"final",
  "code":{"text":"smoke"},"subject":{"reference":"Patient/p1"}}')
expect "POST Observation (server-assigned id)" "b['resourceType'] == 'Observation' and len(b['id']) > 8" "$R"
R=$(curl -s -X PUT "$B/Patient/12345" -H "$FHIR_JSON" -d '{"resourceType":"Patient","id":"12345"}')
expect "PUT Patient/12345 (an all-numeric client id)" "b['id'] == '12345'" "$R"
R=$(curl -s -X PUT "$B/Consent/x1" -H "$FHIR_JSON" -d '{"resourceType":"Consent","id":"x1","status":"active",
  "scope":{"text":"x"},"category":[{"text":"x"}],"patient":{"reference":"Patient/does-not-exist"}}')
expect "a reference to a missing Patient is refused (referential integrity; see README)" "b['resourceType'] == 'OperationOutcome'" "$R"

echo "== reads, versioned reads and what /stats counts"
curl -s -X POST "$ROOT/stats/reset" >/dev/null
R=$(curl -s -X PUT "$B/Patient/p1" -H "$FHIR_JSON" -d '{"resourceType":"Patient","id":"p1",
  "identifier":[{"system":"urn:oid:1.2.208.176.1.2","value":"0101010101"}],"name":[{"family":"After"}]}')
expect "PUT Patient/p1 again: version 2" "b['meta']['versionId'] == '2'" "$R"
R=$(curl -s "$B/Patient/p1")
expect "GET Patient/p1: the current version" "b['name'][0]['family'] == 'After'" "$R"
R=$(curl -s "$B/Patient/p1/_history/1")
expect "GET Patient/p1/_history/1: the old version" "b['name'][0]['family'] == 'Before' and b['meta']['versionId'] == '1'" "$R"
CODE=$(curl -s -o /dev/null -w '%{http_code}' "$B/Patient/nobody")
[ "$CODE" = 404 ] && pass "GET Patient/nobody: 404" || fail "GET Patient/nobody: $CODE"
R=$(curl -s "$B/Consent?category=$IPS|ips-data-sharing&_count=10")
curl -s -o /dev/null "$(printf '%s' "$R" | next_link)"
R=$(curl -s "$ROOT/stats")
echo "      /stats: $R"
expect "/stats: 3 reads (read, vread, a 404 read), 2 searches (search + next page), 1 other (update), 1 error" \
  "b['read'] == 3 and b['search'] == 2 and b['other'] == 1 and b['total'] == 6 and b['errors'] == 1 and b['byOperation'] == {'READ': 2, 'VREAD': 1, 'SEARCH_TYPE': 1, 'GET_PAGE': 1, 'UPDATE': 1}" "$R"
R=$(curl -s -X POST "$ROOT/stats/reset")
expect "POST /stats/reset zeroes the counts" "b['total'] == 0 and b['byOperation'] == {}" "$R"

if [ "$LOAD" -gt 0 ]; then
  echo "== load $LOAD patients, each with a Consent, in transaction bundles of 100 entries; then page through them"
  python3 "$HERE/load.py" --base "$B" --patients "$LOAD" --bundle-entries 100 --page-check --page-size 100 \
    --expect $((LOAD + 27)) || FAILED=$((FAILED + 1))
  echo "      RSS after the load: $(($(ps -o rss= -p "$PID") / 1024)) MB"
fi

if grep -q "OutOfMemoryError" "$LOG"; then fail "OutOfMemoryError in the log"; fi
echo "== $FAILED failed"
[ "$FAILED" = 0 ]
