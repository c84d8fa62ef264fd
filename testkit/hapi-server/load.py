#!/usr/bin/env python3
"""Load synthetic IPS test data into the test-kit HAPI server with transaction Bundles, and optionally page through it.

    python3 load.py --base http://localhost:8080/fhir --patients 2000 --bundle-entries 100
    python3 load.py --base http://localhost:8080/fhir --patients 2000 --page-check   # then read every Consent back

Each patient is PUT with a client-assigned id (Patient/<prefix><n>) and an identifier, and gets one Consent
(category http://ipsbridge.dk/fhir/CodeSystem/ips|ips-data-sharing, PUT Consent/<prefix>c<n>); with --referrals also
one ServiceRequest (code ...|ips-referral). A patient and its resources always go in the same Bundle, so the
references resolve. Only the Python standard library is used. Exits non-zero on any failed request.
"""
import argparse
import http.client
import json
import sys
import time
import urllib.parse

IPS = "http://ipsbridge.dk/fhir/CodeSystem/ips"


def patient_entries(prefix, n, referrals):
    pid = f"{prefix}{n}"
    out = [
        {
            "resource": {
                "resourceType": "Patient",
                "id": pid,
                "identifier": [{"system": "urn:ipsbridge:test:patient", "value": pid}],
                "name": [{"family": f"Test{n}", "given": ["Load"]}],
            },
            "request": {"method": "PUT", "url": f"Patient/{pid}"},
        },
        {
            "resource": {
                "resourceType": "Consent",
                "id": f"{prefix}c{n}",
                "status": "active",
                "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                      "code": "patient-privacy"}]},
                "category": [{"coding": [{"system": IPS, "code": "ips-data-sharing"}]}],
                "patient": {"reference": f"Patient/{pid}"},
            },
            "request": {"method": "PUT", "url": f"Consent/{prefix}c{n}"},
        },
    ]
    if referrals:
        out.append({
            "resource": {
                "resourceType": "ServiceRequest",
                "id": f"{prefix}s{n}",
                "status": "active",
                "intent": "order",
                "code": {"coding": [{"system": IPS, "code": "ips-referral"}]},
                "subject": {"reference": f"Patient/{pid}"},
            },
            "request": {"method": "PUT", "url": f"ServiceRequest/{prefix}s{n}"},
        })
    return out


class Client:
    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.host, self.port, self.path = url.hostname, url.port or 80, url.path.rstrip("/")
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)

    def request(self, method, path, body=None):
        headers = {"Accept": "application/fhir+json"}
        if body is not None:
            headers["Content-Type"] = "application/fhir+json"
            body = json.dumps(body).encode()
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {resp.status}: {data[:500]!r}")
        return json.loads(data)

    def get_url(self, url):
        """GET an absolute URL (a next link) on the same server."""
        parts = urllib.parse.urlsplit(url)
        return self.request("GET", parts.path + ("?" + parts.query if parts.query else ""))


def load(client, args):
    per_patient = 3 if args.referrals else 2
    per_bundle = max(1, args.bundle_entries // per_patient)
    started = time.monotonic()
    bundles = resources = 0
    n = args.start
    end = args.start + args.patients
    while n < end:
        entries = []
        for i in range(n, min(n + per_bundle, end)):
            entries.extend(patient_entries(args.prefix, i, args.referrals))
        client.request("POST", client.path, {"resourceType": "Bundle", "type": "transaction", "entry": entries})
        bundles += 1
        resources += len(entries)
        n += per_bundle
        if args.progress and bundles % args.progress == 0:
            el = time.monotonic() - started
            print(f"  {n - args.start} patients, {resources} resources, {el:.1f} s, {resources / el:.0f} resources/s",
                  flush=True)
    elapsed = time.monotonic() - started
    print(f"loaded {args.patients} patients ({resources} resources) in {bundles} transaction bundles of up to "
          f"{per_bundle * per_patient} entries: {elapsed:.1f} s, {args.patients / elapsed:.1f} patients/s, "
          f"{resources / elapsed:.0f} resources/s, {elapsed / bundles * 1000:.0f} ms per bundle", flush=True)


def page_check(client, args):
    """Read every IPS Consent through next links (the adapter's poll query) and check none is missing or repeated."""
    query = urllib.parse.urlencode({
        "category": f"{IPS}|ips-data-sharing",
        "_lastUpdated": "ge2000-01-01",
        "_sort": "_lastUpdated",
        "_count": str(args.page_size),
        "_elements": "patient",
    })
    started = time.monotonic()
    bundle = client.request("GET", f"{client.path}/Consent?{query}")
    seen, pages, last_updated, out_of_order = set(), 0, "", 0
    while True:
        pages += 1
        for entry in bundle.get("entry", []):
            res = entry["resource"]
            seen_before = res["id"] in seen
            if seen_before:
                raise RuntimeError(f"Consent/{res['id']} returned twice (page {pages})")
            seen.add(res["id"])
            lu = res.get("meta", {}).get("lastUpdated", "")
            if lu < last_updated:
                out_of_order += 1
            last_updated = max(last_updated, lu)
        nxt = next((l["url"] for l in bundle.get("link", []) if l["relation"] == "next"), None)
        if not nxt:
            break
        bundle = client.get_url(nxt)
    elapsed = time.monotonic() - started
    print(f"paged {len(seen)} Consents in {pages} pages of {args.page_size}: {elapsed:.1f} s, "
          f"{elapsed / pages * 1000:.0f} ms per page; out of _lastUpdated order: {out_of_order}", flush=True)
    if args.expect is not None and len(seen) != args.expect:
        raise RuntimeError(f"expected {args.expect} Consents, paged {len(seen)}")
    if out_of_order:
        raise RuntimeError("_sort=_lastUpdated not respected")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", default="http://localhost:8080/fhir")
    p.add_argument("--patients", type=int, default=2000)
    p.add_argument("--start", type=int, default=1, help="number of the first patient")
    p.add_argument("--prefix", default="lp", help="id prefix (Patient/<prefix><n>)")
    p.add_argument("--bundle-entries", type=int, default=100)
    p.add_argument("--referrals", action="store_true", help="also a ServiceRequest per patient")
    p.add_argument("--progress", type=int, default=0, help="print progress every N bundles")
    p.add_argument("--no-load", action="store_true", help="skip loading (only --page-check)")
    p.add_argument("--page-check", action="store_true", help="afterwards page through all IPS Consents")
    p.add_argument("--page-size", type=int, default=100)
    p.add_argument("--expect", type=int, help="with --page-check: the number of Consents there must be")
    args = p.parse_args()
    client = Client(args.base)
    try:
        if not args.no_load:
            load(client, args)
        if args.page_check:
            page_check(client, args)
    except Exception as e:  # noqa: BLE001 - report and fail
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
