package dk.ipsbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dk.ipsbridge.ledger.LedgerKeys;
import dk.ipsbridge.ledger.LedgerProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

class InitCommandTest {

    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldWriteKeysOwnerOnlyAndAConfigurationTheLedgerLoads() throws IOException {
        Path dir = work.resolve("with space's");

        assertThat(init("--dir", dir.toString())).isZero();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String secret : List.of("ledger-signing-key.pem", "ledger-cpr-hash.key", "ledger-cpr-encryption.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret))))
                    .as(secret).isEqualTo("rw-------");
        }
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("init",
                new FileSystemResource(dir.resolve("application.yml")));
        Binder binder = new Binder(ConfigurationPropertySources.from(yaml));
        LedgerProperties.Keys keys = binder.bind("ips.ledger.keys", LedgerProperties.Keys.class).get();
        assertThat(LedgerKeys.load(keys).complete()).isTrue();
        assertThat(binder.bind("ips.region", String.class).get()).isEqualTo("DK-82");
        assertThat(binder.bind("ips.sources", Object.class).isBound()).as("left for the operator").isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--spring.config.additional-location=" + dir.toAbsolutePath() + "/");
    }

    @Test
    void shouldRefuseToOverwriteAnyFileNamingIt() throws IOException {
        Files.writeString(work.resolve("application.yml"), "mine");

        assertThat(init("--dir", work.toString())).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Refusing to overwrite "
                + work.resolve("application.yml"));
        assertThat(Files.readString(work.resolve("application.yml"))).isEqualTo("mine");
        assertThat(work.resolve("ledger-signing-key.pem")).doesNotExist();
    }

    @Test
    void shouldExplainItsUsage() {
        assertThat(init("--directory", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("init --dir DIR");
    }

    private int init(String... args) {
        return InitCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
