package dk.ipsbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import dk.ipsbridge.ledger.Merkle.Node;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The tree, the proofs and their verification against the RFC 6962 test vectors (as published with
 * transparency-dev/merkle and certificate-transparency-go) and against a literal transcription of RFC 9162 §2.1 for every
 * tree of up to 64 leaves.
 */
class MerkleTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int BRUTE_FORCE_MAX = 64;

    // The eight leaf inputs of the RFC 6962 vectors and the roots of the trees of their first 0..8.
    private static final List<byte[]> VECTOR_INPUTS = hexes("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f");
    private static final List<String> VECTOR_ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private record InclusionVector(long index, long size, List<String> path) {
    }

    private record ConsistencyVector(long first, long second, List<String> path) {
    }

    private static final List<InclusionVector> INCLUSION_VECTORS = List.of(
            new InclusionVector(0, 1, List.of()),
            new InclusionVector(0, 8, List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new InclusionVector(5, 8, List.of("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new InclusionVector(2, 3, List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
            new InclusionVector(1, 5, List.of("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

    private static final List<ConsistencyVector> CONSISTENCY_VECTORS = List.of(
            new ConsistencyVector(1, 1, List.of()),
            new ConsistencyVector(1, 8, List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new ConsistencyVector(6, 8, List.of("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new ConsistencyVector(2, 5, List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
            new ConsistencyVector(6, 7, List.of("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

    @Nested
    class KnownVectors {

        @Test
        void shouldComputeTheVectorRootsForEveryTreeSize() {
            List<byte[]> leaves = leafHashes(VECTOR_INPUTS);
            for (int size = 0; size <= 8; size++) {
                assertThat(HEX.formatHex(Merkle.root(size, Merkle.inMemory(leaves)))).as("size %d", size)
                        .isEqualTo(VECTOR_ROOTS.get(size));
                assertThat(HEX.formatHex(frontier(leaves.subList(0, size)).root())).isEqualTo(VECTOR_ROOTS.get(size));
            }
        }

        @Test
        void shouldGenerateAndVerifyTheVectorInclusionProofs() {
            List<byte[]> leaves = leafHashes(VECTOR_INPUTS);
            for (InclusionVector v : INCLUSION_VECTORS) {
                List<byte[]> path = Merkle.inclusionProof(v.index(), v.size(), Merkle.inMemory(leaves));
                assertThat(path).extracting(HEX::formatHex).as("%s", v).isEqualTo(v.path());
                byte[] root = HEX.parseHex(VECTOR_ROOTS.get((int) v.size()));
                assertThat(Merkle.verifyInclusion(leaves.get((int) v.index()), v.index(), v.size(), hexes(v.path()),
                        root)).isTrue();
            }
        }

        @Test
        void shouldGenerateAndVerifyTheVectorConsistencyProofs() {
            List<byte[]> leaves = leafHashes(VECTOR_INPUTS);
            for (ConsistencyVector v : CONSISTENCY_VECTORS) {
                List<byte[]> proof = Merkle.consistencyProof(v.first(), v.second(), Merkle.inMemory(leaves));
                assertThat(proof).extracting(HEX::formatHex).as("%s", v).isEqualTo(v.path());
                assertThat(Merkle.verifyConsistency(v.first(), v.second(),
                        HEX.parseHex(VECTOR_ROOTS.get((int) v.first())),
                        HEX.parseHex(VECTOR_ROOTS.get((int) v.second())), hexes(v.path()))).isTrue();
            }
        }

        @Test
        void shouldRejectEdgeCasesAsTheReferenceVerifierDoes() {
            byte[] r1 = HEX.parseHex(VECTOR_ROOTS.get(1));
            byte[] r8 = HEX.parseHex(VECTOR_ROOTS.get(8));
            byte[] empty = HEX.parseHex(VECTOR_ROOTS.get(0));
            assertThat(Merkle.verifyConsistency(0, 0, empty, empty, List.of())).isTrue();
            assertThat(Merkle.verifyConsistency(0, 0, empty, r1, List.of())).isFalse();
            assertThat(Merkle.verifyConsistency(1, 1, r1, r8, List.of())).isFalse();
            assertThat(Merkle.verifyConsistency(1, 1, r1, r1, List.of(r1))).isFalse();
            assertThat(Merkle.verifyConsistency(8, 1, r8, r1, List.of())).isFalse();
            assertThat(Merkle.verifyConsistency(1, 8, r1, r8, List.of())).isFalse();
            assertThat(Merkle.verifyInclusion(r1, 0, 0, List.of(), empty)).isFalse();
            assertThat(Merkle.verifyInclusion(r1, 1, 1, List.of(), r1)).isFalse();
            assertThat(Merkle.verifyInclusion(r1, 0, 1, List.of(), r1)).isTrue();
            assertThat(Merkle.verifyInclusion(r1, 0, 1, List.of(r1), r1)).isFalse();
        }
    }

    @Nested
    class BruteForce {

        private final List<byte[]> inputs = IntStream.range(0, BRUTE_FORCE_MAX + 1)
                .mapToObj(i -> new byte[] {(byte) i, (byte) (i * 7)}).toList();
        private final List<byte[]> leaves = leafHashes(inputs);

        @Test
        void shouldMatchTheRfcDefinitionOfTheRootForEverySize() {
            for (int n = 0; n <= BRUTE_FORCE_MAX; n++) {
                byte[] expected = Rfc9162.mth(inputs.subList(0, n));
                assertThat(Merkle.root(n, Merkle.inMemory(leaves))).as("size %d", n).isEqualTo(expected);
                assertThat(frontier(leaves.subList(0, n)).root()).as("frontier %d", n).isEqualTo(expected);
            }
        }

        @Test
        void shouldReportEveryPerfectSubtreeOnceAsLeavesAreAppended() {
            Frontier frontier = new Frontier();
            List<Node> completed = new ArrayList<>();
            for (byte[] leaf : leaves.subList(0, BRUTE_FORCE_MAX)) {
                frontier.append(leaf, (level, index, hash) -> {
                    Node node = new Node(level, index);
                    completed.add(node);
                    assertThat(hash).isEqualTo(Merkle.inMemory(leaves).hashes(List.of(node)).get(node));
                });
            }
            assertThat(completed).hasSize(BRUTE_FORCE_MAX - 1).doesNotHaveDuplicates();
            assertThat(Frontier.decode(frontier.size(), frontier.encode()).root()).isEqualTo(frontier.root());
        }

        @Test
        void shouldGenerateTheRfcInclusionProofAndVerifyOnlyIt() {
            for (int n = 1; n <= BRUTE_FORCE_MAX; n++) {
                byte[] root = Rfc9162.mth(inputs.subList(0, n));
                for (int m = 0; m < n; m++) {
                    List<byte[]> path = Merkle.inclusionProof(m, n, Merkle.inMemory(leaves));
                    assertThat(path).as("PATH(%d, D[%d])", m, n)
                            .containsExactlyElementsOf(Rfc9162.path(m, inputs.subList(0, n)));
                    byte[] leaf = leaves.get(m);
                    assertThat(Merkle.verifyInclusion(leaf, m, n, path, root)).as("m=%d n=%d", m, n).isTrue();

                    assertThat(Merkle.verifyInclusion(leaf, m, n + 1, path, Rfc9162.mth(inputs.subList(0, n + 1))))
                            .isFalse();
                    assertThat(Merkle.verifyInclusion(leaf, m, n, path, leaves.get(0 == m ? 1 : 0))).isFalse();
                    assertThat(Merkle.verifyInclusion(leaves.get(m + 1), m, n, path, root))
                            .isFalse();
                    for (int i = 0; i < path.size(); i++) {
                        assertThat(Merkle.verifyInclusion(leaf, m, n, flipped(path, i), root)).isFalse();
                    }
                    if (!path.isEmpty()) {
                        assertThat(Merkle.verifyInclusion(leaf, m, n, path.subList(0, path.size() - 1), root))
                                .isFalse();
                    }
                    assertThat(Merkle.verifyInclusion(leaf, m, n, appended(path, root), root)).isFalse();
                }
            }
        }

        @Test
        void shouldGenerateTheRfcConsistencyProofAndVerifyOnlyIt() {
            for (int n = 1; n <= BRUTE_FORCE_MAX; n++) {
                byte[] second = Rfc9162.mth(inputs.subList(0, n));
                for (int m = 0; m <= n; m++) {
                    byte[] first = Rfc9162.mth(inputs.subList(0, m));
                    List<byte[]> proof = Merkle.consistencyProof(m, n, Merkle.inMemory(leaves));
                    if (m > 0) {
                        assertThat(proof).as("PROOF(%d, D[%d])", m, n)
                                .containsExactlyElementsOf(Rfc9162.proof(m, inputs.subList(0, n)));
                    }
                    assertThat(Merkle.verifyConsistency(m, n, first, second, proof)).as("m=%d n=%d", m, n).isTrue();

                    if (m > 0 && m < n) {
                        assertThat(Merkle.verifyConsistency(m, n, second, second, proof)).isFalse();
                        assertThat(Merkle.verifyConsistency(m, n, first, first, proof)).isFalse();
                        assertThat(Merkle.verifyConsistency(m, n + 1, first,
                                Rfc9162.mth(inputs.subList(0, n + 1)), proof)).isFalse();
                        for (int i = 0; i < proof.size(); i++) {
                            assertThat(Merkle.verifyConsistency(m, n, first, second, flipped(proof, i))).isFalse();
                        }
                        assertThat(Merkle.verifyConsistency(m, n, first, second, proof.subList(0, proof.size() - 1)))
                                .isFalse();
                        assertThat(Merkle.verifyConsistency(m, n, first, second, appended(proof, first))).isFalse();
                    }
                }
            }
        }
    }

    /** RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 as written, over the entries themselves: the reference. */
    private static final class Rfc9162 {

        static byte[] mth(List<byte[]> d) {
            int n = d.size();
            if (n == 0) {
                return Merkle.sha256().digest();
            }
            if (n == 1) {
                return Merkle.leafHash(d.get(0));
            }
            int k = largestPowerOfTwoBelow(n);
            return Merkle.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, n)));
        }

        static List<byte[]> path(int m, List<byte[]> d) {
            int n = d.size();
            List<byte[]> out = new ArrayList<>();
            if (n == 1) {
                return out;
            }
            int k = largestPowerOfTwoBelow(n);
            if (m < k) {
                out.addAll(path(m, d.subList(0, k)));
                out.add(mth(d.subList(k, n)));
            } else {
                out.addAll(path(m - k, d.subList(k, n)));
                out.add(mth(d.subList(0, k)));
            }
            return out;
        }

        static List<byte[]> proof(int m, List<byte[]> d) {
            return subproof(m, d, true);
        }

        private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
            int n = d.size();
            List<byte[]> out = new ArrayList<>();
            if (m == n) {
                if (!b) {
                    out.add(mth(d));
                }
                return out;
            }
            int k = largestPowerOfTwoBelow(n);
            if (m <= k) {
                out.addAll(subproof(m, d.subList(0, k), b));
                out.add(mth(d.subList(k, n)));
            } else {
                out.addAll(subproof(m - k, d.subList(k, n), false));
                out.add(mth(d.subList(0, k)));
            }
            return out;
        }

        private static int largestPowerOfTwoBelow(int n) {
            int k = 1;
            while (k * 2 < n) {
                k *= 2;
            }
            return k;
        }
    }

    private static Frontier frontier(List<byte[]> leaves) {
        Frontier frontier = new Frontier();
        leaves.forEach(leaf -> frontier.append(leaf, (level, index, hash) -> { }));
        return frontier;
    }

    private static List<byte[]> leafHashes(List<byte[]> inputs) {
        return inputs.stream().map(Merkle::leafHash).toList();
    }

    private static List<byte[]> flipped(List<byte[]> path, int i) {
        List<byte[]> out = new ArrayList<>(path);
        byte[] changed = out.get(i).clone();
        changed[i % changed.length] ^= 0x10;
        out.set(i, changed);
        return out;
    }

    private static List<byte[]> appended(List<byte[]> path, byte[] extra) {
        List<byte[]> out = new ArrayList<>(path);
        out.add(extra);
        return out;
    }

    private static List<byte[]> hexes(String... values) {
        return hexes(List.of(values));
    }

    private static List<byte[]> hexes(List<String> values) {
        return values.stream().map(HEX::parseHex).toList();
    }
}
