package dk.ipsbridge.patient;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CprTest {

    static Stream<Arguments> cprs() {
        return Stream.of(
                cpr("shouldAcceptAnOrdinaryCprFrom1990", "0101901234", true),
                cpr("shouldAcceptANumberThatFailsModulus11", "0101901235", true),
                cpr("shouldAccept29FebruaryInALeapYear", "2902961234", true),
                cpr("shouldAccept29February2000WithSeventhDigit4", "2902004234", true),
                cpr("shouldReject29FebruaryInACommonYear", "2902011234", false),
                cpr("shouldRejectDay32", "3201901234", false),
                cpr("shouldRejectDay00", "0001901234", false),
                cpr("shouldRejectMonth13", "0113901234", false),
                cpr("shouldRejectNineDigits", "010190123", false),
                cpr("shouldRejectElevenDigits", "01019012345", false),
                cpr("shouldRejectAHyphenatedNumber", "010190-1234", false),
                cpr("shouldRejectLetters", "01019O1234", false),
                cpr("shouldRejectNull", null, false),
                cpr("shouldRejectBlank", "", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cprs")
    void isValid(String cpr, boolean valid) {
        assertThat(Cpr.isValid(cpr)).isEqualTo(valid);
    }

    static Stream<Arguments> centuries() {
        // 29 February exists in 2000 but not in 1900: only year 00 shows which century the seventh digit chose
        return Stream.of(
                cpr("shouldReadSeventhDigit3As1900s", "2902003234", false),
                cpr("shouldReadSeventhDigit4WithYear00As2000s", "2902004234", true),
                cpr("shouldReadSeventhDigit9WithYear00As2000s", "2902009234", true),
                cpr("shouldReadSeventhDigit5WithYear00As2000s", "2902005234", true),
                cpr("shouldReadSeventhDigit8WithYear00As2000s", "2902008234", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("centuries")
    void centuryFollowsTheSeventhDigit(String cpr, boolean valid) {
        assertThat(Cpr.isValid(cpr)).isEqualTo(valid);
    }

    private static Arguments cpr(String behaviour, String cpr, boolean valid) {
        return Arguments.of(Named.of(behaviour, cpr), valid);
    }
}
