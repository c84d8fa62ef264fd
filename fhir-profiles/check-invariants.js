#!/usr/bin/env node
// Evaluates the profiles' own invariants (constraint keys ips-*) with fhirpath.js, without a FHIR validator:
// every example in the generated resources must satisfy every invariant of each IPS profile it claims, and each
// fixture in invalid/ must break exactly the invariants listed for it below (none: it fails on slicing or binding,
// which only a validator checks; see invalid/README.md). Invariants must sit on the profile's root element.
//
// resolve() is answered by a throw-away HTTP server on 127.0.0.1 that serves the examples by Type/id.
//
// Usage: node check-invariants.js [resources-dir]   (default: fsh-generated/resources)
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

// invalid/<file> -> the invariants it must break
const EXPECTED_BROKEN = {
  'Patient-wrong-cpr-system.json': ['ips-patient-1'],
  'Consent-without-ips-category.json': [],
  'Consent-unknown-data-category.json': [],
  'CareTeam-consultant-without-jobcenter.json': ['ips-careteam-1'],
  'Observation-bad-event-identifier.json': ['ips-outcome-1'],
  'Observation-milestone-as-employment-status.json': ['ips-outcome-2']
};

const here = __dirname;
const resourcesDir = path.resolve(process.argv[2] || path.join(here, 'fsh-generated', 'resources'));
const invalidDir = path.join(here, 'invalid');
const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));

let passed = 0;
let failed = 0;
const fail = message => { failed++; console.log(`FAIL ${message}`); };

// profile url -> [{key, severity, expression}]
const invariants = new Map();
for (const name of fs.readdirSync(resourcesDir).filter(n => n.startsWith('StructureDefinition-')).sort()) {
  const sd = readJson(path.join(resourcesDir, name));
  const list = [];
  for (const [index, element] of (sd.differential?.element ?? []).entries()) {
    for (const c of (element.constraint ?? []).filter(c => c.key.startsWith('ips-'))) {
      if (index !== 0 || element.path !== sd.type) {
        fail(`${name}: invariant ${c.key} is on ${element.id}; this check handles root invariants only`);
      } else {
        list.push({ key: c.key, severity: c.severity, expression: c.expression });
      }
    }
  }
  invariants.set(sd.url, list);
}

// Type/id -> example, for resolve()
const byReference = new Map();
for (const name of fs.readdirSync(resourcesDir).filter(n => n.endsWith('.json'))) {
  const resource = readJson(path.join(resourcesDir, name));
  byReference.set(`${resource.resourceType}/${resource.id}`, resource);
}
const server = http.createServer((req, res) => {
  const resource = byReference.get(decodeURIComponent(req.url).replace(/^\/+/, ''));
  res.writeHead(resource ? 200 : 404, { 'Content-Type': 'application/fhir+json' });
  res.end(JSON.stringify(resource ?? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] }));
});
let options;

async function evaluate(resource, inv) {
  try {
    const result = await fhirpath.evaluate(resource, inv.expression, { resource, rootResource: resource }, r4, options);
    return result.length === 1 && result[0] === true;
  } catch (e) {
    fail(`${resource.resourceType}/${resource.id}: ${inv.key} does not evaluate: ${e.message}`);
    return null;
  }
}

async function check(label, resource, mustBreak) {
  const claimed = (resource.meta?.profile ?? []).filter(url => invariants.has(url));
  const broken = new Set();
  let evaluated = 0;
  for (const url of claimed) {
    for (const inv of invariants.get(url)) {
      evaluated++;
      const ok = await evaluate(resource, inv);
      if (ok === null) return;
      if (!ok) broken.add(inv.key);
    }
  }
  const expected = new Set(mustBreak);
  const unexpected = [...broken].filter(k => !expected.has(k));
  const missing = [...expected].filter(k => !broken.has(k));
  if (unexpected.length || missing.length) {
    fail(`${label}: ${unexpected.length ? `breaks ${unexpected.join(', ')}` : ''}` +
      `${unexpected.length && missing.length ? '; ' : ''}${missing.length ? `does not break ${missing.join(', ')}` : ''}`);
  } else {
    passed++;
    console.log(`ok   ${label}: ${evaluated} invariant(s) evaluated${mustBreak.length ? `, broken as expected: ${mustBreak.join(', ')}` : ''}`);
  }
}

async function main() {
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
options = { async: true, fhirServerUrl: `http://127.0.0.1:${server.address().port}` };
const skip = new Set(['StructureDefinition', 'CodeSystem', 'ValueSet', 'ImplementationGuide']);
for (const name of fs.readdirSync(resourcesDir).filter(n => n.endsWith('.json')).sort()) {
  const resource = readJson(path.join(resourcesDir, name));
  if (!skip.has(resource.resourceType)) await check(`example ${name}`, resource, []);
}
const invalidFiles = fs.readdirSync(invalidDir).filter(n => n.endsWith('.json')).sort();
for (const name of invalidFiles) {
  if (!(name in EXPECTED_BROKEN)) {
    fail(`invalid/${name}: not listed in EXPECTED_BROKEN of check-invariants.js`);
    continue;
  }
  await check(`invalid/${name}`, readJson(path.join(invalidDir, name)), EXPECTED_BROKEN[name]);
}
for (const name of Object.keys(EXPECTED_BROKEN).filter(n => !invalidFiles.includes(n))) {
  fail(`invalid/${name} is listed but missing`);
}

server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
}

main().catch(e => { console.error(e); process.exit(1); });
