package dk.ipsbridge.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The demo's and the tests' local users: a consent officer and an operator with fresh random passwords, hashed at
 * run time, so that no password or hash is ever in the repository.
 */
public record LocalUsers(String officerPassword, String operatorPassword) {

    public static final String OFFICER = "officer";
    public static final String OPERATOR = "operator";

    public static LocalUsers random() {
        return new LocalUsers(randomPassword(), randomPassword());
    }

    /** {@code ips.security.users} settings, without the leading {@code --}. */
    public List<String> settings() {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4); // low cost: test and demo only
        return List.of(
                "ips.security.users[0].username=" + OFFICER,
                "ips.security.users[0].password-hash=" + bcrypt.encode(officerPassword),
                "ips.security.users[0].roles[0]=OFFICER",
                "ips.security.users[1].username=" + OPERATOR,
                "ips.security.users[1].password-hash=" + bcrypt.encode(operatorPassword),
                "ips.security.users[1].roles[0]=OPERATOR");
    }

    /** The operator's HTTP Basic {@code Authorization} header value. */
    public String operatorAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((OPERATOR + ":" + operatorPassword)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh random password (72 bits), for a demo or test account. */
    public static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
