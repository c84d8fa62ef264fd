package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dk.ipsbridge.store.TestDatabases;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * An officer's scope, stated as properties over one ledger of mixed entries and generated searches and scopes: a scoped
 * search returns only entries of the scope's jobcenters, exactly those the unscoped search returns for them, and a
 * wider scope never shows less, a narrower never more. No search over an empty scope returns anything.
 */
class ScopedSearchPropertiesTest {

    private static final List<String> JOBCENTERS = List.of("jc-a", "jc-b", "jc-c", "jc-d");
    private static Ledger ledger;

    @BeforeContainer
    static void aLedgerOfMixedEntries() {
        ledger = TestLedgers.create(TestDatabases.fresh(TestDatabases.Kind.H2), TestLedgers.settings(1000),
                LedgerKeys.load(TestLedgers.KEYS.config())).ledger();
        for (int i = 0; i < 120; i++) {
            String recipient = i % 7 == 0 ? null : JOBCENTERS.get(i % JOBCENTERS.size());
            LedgerEntry.Builder entry = LedgerEntry.builder().time(TestLedgers.T0.plusSeconds(i))
                    .decision(List.of("shared", "held", "withdrawn", "officer-search").get(i % 4))
                    .source("ehr", "Patient/p" + i % 9).recipient(recipient, recipient == null ? null : "case" + i)
                    .consent("Consent/k" + i % 5, "1").correlationId("c" + i).cpr(TestLedgers.cpr(i % 9));
            ledger.append(entry.build());
        }
    }

    @Property(tries = 300)
    void aScopedSearchShowsExactlyTheUnscopedEntriesOfItsJobcenters(@ForAll("queries") Ledger.Query query,
            @ForAll("scopes") Set<String> scope) {
        List<LedgerRecord> all = ledger.search(unlimited(query));
        List<LedgerRecord> scoped = ledger.search(query, scope);

        assertThat(scoped).allSatisfy(e -> assertThat(scope).contains(e.recipient()));
        // the newest `limit` of the scope's entries: the limit counts what the officer may see, nothing else
        assertThat(scoped).extracting(LedgerRecord::index).containsExactlyElementsOf(all.stream()
                .filter(e -> scope.contains(e.recipient())).map(LedgerRecord::index).limit(query.limit()).toList());
    }

    @Property(tries = 300)
    void aWiderScopeNeverShowsLessAndANarrowerNeverMore(@ForAll("queries") Ledger.Query query,
            @ForAll("scopes") Set<String> scope, @ForAll("jobcenter") String added) {
        Set<String> wider = new HashSet<>(scope);
        wider.add(added);
        List<Long> narrow = indexes(ledger.search(unlimited(query), scope));
        List<Long> wide = indexes(ledger.search(unlimited(query), wider));

        assertThat(wide).containsAll(narrow);
        if (scope.isEmpty()) {
            assertThat(narrow).as("an officer limited to nothing sees nothing").isEmpty();
        }
    }

    @Provide
    Arbitrary<Ledger.Query> queries() {
        Arbitrary<String> cpr = Arbitraries.integers().between(0, 10).map(i -> i < 9 ? TestLedgers.cpr(i) : null);
        Arbitrary<String> recipient = Arbitraries.of("jc-a", "jc-b", "jc-c", "jc-d", "jc-x", "").injectNull(0.5);
        Arbitrary<String> decision = Arbitraries.of("shared", "held", "withdrawn", "officer-search").injectNull(0.5);
        Arbitrary<String> consent = Arbitraries.integers().between(0, 6).map(i -> "Consent/k" + i).injectNull(0.6);
        return net.jqwik.api.Combinators.combine(cpr, recipient, decision, consent, Arbitraries.integers()
                .between(1, 200)).as((c, r, d, k, limit) -> new Ledger.Query(c, null, r, k, d, null, null, limit));
    }

    @Provide
    Arbitrary<Set<String>> scopes() {
        return Arbitraries.of("jc-a", "jc-b", "jc-c", "jc-d", "jc-x").set().ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> jobcenter() {
        return Arbitraries.of(JOBCENTERS);
    }

    private static Ledger.Query unlimited(Ledger.Query q) {
        return new Ledger.Query(q.cpr(), q.consultantRef(), q.recipient(), q.consentId(), q.decision(), q.from(), q.to(),
                10_000);
    }

    private static List<Long> indexes(List<LedgerRecord> records) {
        return new ArrayList<>(records.stream().map(LedgerRecord::index).toList());
    }
}
