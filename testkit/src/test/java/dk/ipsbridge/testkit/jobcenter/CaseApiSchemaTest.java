package dk.ipsbridge.testkit.jobcenter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CaseApiSchemaTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldAcceptAMinimalCaseRecord() throws Exception {
        assertThat(CaseApiSchema.problems("IpsCaseRecord", json.readTree("""
                {"caseId":"c-1","revision":1,"region":"DK-82","status":"active",
                 "citizen":{"cpr":"0101901234","givenName":"A","familyName":"B"},
                 "consent":{"consentId":"k1","givenOn":"2026-01-02","expiresOn":"2027-01-02","categories":["contact"]}}
                """))).isEmpty();
    }

    @Test
    void shouldAcceptTheRecordsOf11SingleNameEndedAndAProgramme() throws Exception {
        assertThat(CaseApiSchema.problems("IpsCaseRecord", json.readTree("""
                {"caseId":"c-1","revision":2,"region":"DK-82","status":"ended",
                 "citizen":{"cpr":"0101901234","familyName":"Madonna"},
                 "referral":{"referredOn":"2026-01-05","programme":"ips-substance-use"},
                 "consent":{"consentId":"k1","givenOn":"2026-01-02","expiresOn":"2027-01-01","categories":["referral"]}}
                """))).isEmpty();
    }

    @Test
    void shouldRejectABodyCaseIdOutsideThePatternAndAnUnknownProgramme() throws Exception {
        assertThat(CaseApiSchema.problems("IpsCaseRecord", json.readTree("""
                {"caseId":"c/1","revision":2,"region":"DK-82","status":"closed",
                 "citizen":{"cpr":"0101901234","familyName":"Madonna"},
                 "referral":{"referredOn":"2026-01-05","programme":"ips-other"},
                 "consent":{"consentId":"k1","givenOn":"2026-01-02","expiresOn":"2027-01-01","categories":["referral"]}}
                """))).hasSize(3);
    }

    @Test
    void shouldRejectUnknownFieldsBadCprBadDatesAndUnknownCategories() throws Exception {
        assertThat(CaseApiSchema.problems("IpsCaseRecord", json.readTree("""
                {"caseId":"c-1","revision":0,"region":"DK-99","status":"active","secret":1,
                 "citizen":{"cpr":"01019012","givenName":"A","familyName":"B"},
                 "consent":{"consentId":"k1","givenOn":"2.1.2026","expiresOn":"2027-01-02","categories":["x"]}}
                """))).hasSizeGreaterThanOrEqualTo(6);
    }
}
