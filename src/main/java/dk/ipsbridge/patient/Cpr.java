package dk.ipsbridge.patient;

import java.time.DateTimeException;
import java.time.LocalDate;

/** Checks the form of a Danish CPR number. */
public final class Cpr {

    private Cpr() {
    }

    /**
     * True for ten digits whose first six are a real date {@code DDMMYY}, the century taken from the seventh digit
     * as the CPR office assigns it. There is no modulus-11 check: numbers issued since 2007 need not pass it.
     */
    public static boolean isValid(String cpr) {
        if (cpr == null || cpr.length() != 10) {
            return false;
        }
        for (int i = 0; i < cpr.length(); i++) {
            if (cpr.charAt(i) < '0' || cpr.charAt(i) > '9') {
                return false;
            }
        }
        int day = Integer.parseInt(cpr.substring(0, 2));
        int month = Integer.parseInt(cpr.substring(2, 4));
        int yy = Integer.parseInt(cpr.substring(4, 6));
        int seventh = cpr.charAt(6) - '0';
        try {
            LocalDate.of(century(seventh, yy) + yy, month, day);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static int century(int seventh, int yy) {
        if (seventh <= 3) {
            return 1900;
        }
        if (seventh == 4 || seventh == 9) {
            return yy <= 36 ? 2000 : 1900;
        }
        return yy <= 57 ? 2000 : 1800;
    }
}
