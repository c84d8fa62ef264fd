/**
 * The ledger's decisions as IHE Basic Audit Log Patterns (BALP 1.1) AuditEvents, and as a CSV for consent officers.
 *
 * <p>Mapping choices, where BALP leaves room:
 * <ul>
 * <li><b>Who is who.</b> The adapter ({@code http://ipsbridge.dk/fhir/sid/adapter|<adapterId>}, a Device) observes
 * every event, and is the authorizer of consent decisions and the source of disclosures, as BALP's
 * {@code val-audit-source} requires. The region (by SOR) is the custodian of disclosed data. The jobcenter is named
 * by the identifier the consent names it by (SOR, CVR or KOMBIT), else by its configured id.</li>
 * <li><b>Recipient of a consent decision.</b> The IRCP agent is the consultant when the decision names one, else the
 * jobcenter; the userorg (BALP fixes its type to {@code PROV}) is the jobcenter. This holds for {@code collected} too:
 * the consent names the jobcenter as the party to the exchange either way.</li>
 * <li><b>Outcome.</b> Shared and collected permit (0). Held and withdrawn deny with 4 (minor failure, like HTTP 403:
 * an expected answer, not an error) and the hold reason as {@code outcomeDesc}.</li>
 * <li><b>References into an EHR</b> (patient, consent with {@code _history/<version>}, consultant) are absolute when
 * the source's FHIR base URL is in the settings. Otherwise they are logical references whose identifier is the
 * relative reference in system {@code http://ipsbridge.dk/fhir/sid/ehr-reference/<sourceId>}: a relative
 * {@code Patient/123} would resolve against the server holding the AuditEvent, which is not the EHR.</li>
 * <li><b>Patient.</b> {@code what.identifier} is the CPR number ({@code urn:oid:1.2.208.176.1.2}) when the fact has
 * it, with the absolute EHR reference beside it when known. When the CPR is redacted it appears nowhere, query
 * included.</li>
 * <li><b>Correlation id.</b> An entity of BALP type {@code XrequestId} in disclosures and queries. AuthZconsent closes
 * its entity slicing, so there it is a detail ({@code XrequestId}) of the consent entity, with the ledger decision
 * ({@code decision}) and the categories ({@code categories}, space separated).</li>
 * <li><b>Disclosed data.</b> One entity (system object, role report) whose {@code what.identifier} is the payload's
 * SHA-256 ({@code http://ipsbridge.dk/fhir/sid/payload-sha256}) and whose security labels are the data categories
 * sent.</li>
 * <li><b>Officer search.</b> PatientQuery (Query when the fact names no patient): the adapter searched the EHR source
 * for {@code Patient?identifier=urn:oid:1.2.208.176.1.2|<cpr>} on the officer's request; the officer is the IRCP agent
 * by username ({@code http://ipsbridge.dk/fhir/sid/officer}).</li>
 * <li><b>Unknown network addresses</b> (a jobcenter or source not in the settings) are marked with the
 * {@code data-absent-reason} extension: the profiles require a network for those agents.</li>
 * </ul>
 */
package dk.ipsbridge.audit;
