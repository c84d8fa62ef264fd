package dk.ipsbridge.caserecord;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dk.ipsbridge.consent.DataCategory;
import dk.ipsbridge.consent.GateDecision;
import dk.ipsbridge.patient.IpsCodes;
import dk.ipsbridge.patient.PatientSnapshot;

/**
 * Translates what the EHR holds about one patient into the jobcenter's {@link IpsCaseRecord}, sharing the identity,
 * the consultant and the consent plus exactly the data categories the gate's {@link GateDecision.Share} permits, and
 * of those exactly the resources the share's {@link dk.ipsbridge.consent.DataPolicy} allows.
 *
 * <p>Pure: no I/O, no clock, no framework; one instance can be shared. Each part of the record has its own
 * translator; this class decides which of them may run at all, so a category that is not permitted is never read,
 * and hands them a snapshot that holds only the permitted resources ({@link PermittedData}).
 */
public final class CaseRecordTranslator {

    private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String region;
    private final CitizenTranslator citizen = new CitizenTranslator();
    private final ReferralTranslator referral;
    private final ConsultantTranslator consultant = new ConsultantTranslator();
    private final TreatmentTeamTranslator treatmentTeam = new TreatmentTeamTranslator();
    private final ConferenceTranslator conferences = new ConferenceTranslator();
    private final EmploymentGoalTranslator employmentGoal = new EmploymentGoalTranslator();
    private final DiagnosisTranslator diagnoses = new DiagnosisTranslator();
    private final ConsentSummaryTranslator consent = new ConsentSummaryTranslator();

    /**
     * @param region the sending region, {@code DK-81} to {@code DK-85}
     * @throws IllegalArgumentException for any other region
     */
    public CaseRecordTranslator(String region) {
        this(region, Map.of());
    }

    /**
     * @param region             the sending region, {@code DK-81} to {@code DK-85}
     * @param programmesBySource the programme of each source's referrals that name none (C14); a source not in it,
     *                           {@code ips-general}
     */
    public CaseRecordTranslator(String region, Map<String, String> programmesBySource) {
        this.region = requireRegion(region);
        Map<String, String> programmes = Map.copyOf(programmesBySource);
        this.referral = new ReferralTranslator(source -> programmes.getOrDefault(source == null ? "" : source,
                IpsCodes.IPS_GENERAL));
    }

    /**
     * The case record for {@code snapshot} as far as {@code share} permits.
     *
     * @param snapshot the patient's IPS course as read from the EHR
     * @param share    the gate's decision to share; its categories decide which parts are present, its policy which
     *                 resources they are made of
     * @param caseId   the case id chosen by the caller ({@code [A-Za-z0-9._-]{1,64}}, not containing the CPR)
     * @param revision the revision of this record, at least 1
     * @return the record; a part is null (absent in JSON) when its category is not permitted or no permitted
     *         resource remains for it
     * @throws IllegalArgumentException when the case id or revision is invalid, or the patient or consent lacks
     *                                  what the contract requires (CPR, given and family name, consent dates); the
     *                                  message holds no personal data
     */
    public IpsCaseRecord translate(PatientSnapshot snapshot, GateDecision.Share share, String caseId, long revision) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(share, "share");
        if (caseId == null || !CASE_ID.matcher(caseId).matches()) {
            throw new IllegalArgumentException("case id must match " + CASE_ID.pattern());
        }
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be at least 1, was " + revision);
        }
        IpsCaseRecord.Citizen who = citizen.translate(snapshot, PermittedData.contactDetails(snapshot, share));
        if (caseId.contains(who.cpr())) {
            throw new IllegalArgumentException("case id must not contain the CPR number");
        }
        String consultantReference = share.consultantReference();
        PatientSnapshot permitted = PermittedData.of(snapshot, share);
        return new IpsCaseRecord(
                caseId,
                revision,
                region,
                status(share),
                who,
                ifPermitted(share, DataCategory.REFERRAL, () -> referral.translate(permitted)),
                consultant.translate(snapshot, consultantReference),
                ifPermitted(share, DataCategory.CARE_TEAM,
                        () -> orNull(treatmentTeam.translate(permitted, consultantReference, share.at()))),
                ifPermitted(share, DataCategory.CONFERENCES, () -> orNull(conferences.translate(permitted))),
                ifPermitted(share, DataCategory.EMPLOYMENT_GOAL, () -> employmentGoal.translate(permitted)),
                ifPermitted(share, DataCategory.DIAGNOSIS, () -> orNull(diagnoses.translate(permitted))),
                consent.translate(share.consent(), share.categories()));
    }

    /**
     * The referral's day and programme (C14) whatever the consent shares, for the programme's results, which the
     * region computes from its own data ({@code ips_course}); the programme is the source's default when the patient
     * has no referral with a day.
     */
    public Course course(PatientSnapshot snapshot) {
        IpsCaseRecord.Referral found = referral.translate(snapshot);
        return found == null ? new Course(referral.defaultProgramme(snapshot), null)
                : new Course(found.programme(), LocalDate.parse(found.referredOn()));
    }

    /** A case's programme and the day its referral was made (null when unknown). */
    public record Course(String programme, LocalDate referredOn) {
    }

    /** ended once the course in psychiatry has ended (C13); else active with a current consultant, else referred. */
    private static String status(GateDecision.Share share) {
        if (share.ended()) {
            return IpsCaseRecord.STATUS_ENDED;
        }
        return share.consultantReference() != null ? IpsCaseRecord.STATUS_ACTIVE : IpsCaseRecord.STATUS_REFERRED;
    }

    // PRIVACY: the one place that decides whether a category's data is read at all; PermittedData decides which
    private static <T> T ifPermitted(GateDecision.Share share, DataCategory category, Supplier<T> part) {
        return permits(share, category) ? part.get() : null;
    }

    /** An empty part is an absent part: the JSON omits it either way, and the record says so too. */
    private static <T> List<T> orNull(List<T> part) {
        return part == null || part.isEmpty() ? null : part;
    }

    private static boolean permits(GateDecision.Share share, DataCategory category) {
        return share.categories().contains(category);
    }

    static String requireRegion(String region) {
        if (region == null) {
            throw new IllegalArgumentException("region is required");
        }
        switch (region) {
            case "DK-81", "DK-82", "DK-83", "DK-84", "DK-85":
                return region;
            default:
                throw new IllegalArgumentException("not a Danish region code (DK-81..DK-85): " + region);
        }
    }
}
