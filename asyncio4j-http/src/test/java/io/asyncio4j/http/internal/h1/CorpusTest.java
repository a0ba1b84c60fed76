package io.asyncio4j.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the request corpus against the codec alone (no sockets): the verdict, and for
 * accepted cases the requests, targets and bodies. Each case is fed whole, byte by byte, and in
 * random pieces: the parser must reach the same result however the bytes are split.
 */
class CorpusTest {
    private static final List<Corpus.Case> CASES = Corpus.load();

    @Test
    void corpusIsLargeAndCoversEveryRejectionStatus() {
        assertTrue(CASES.size() >= 200, "cases: " + CASES.size());
        for (int status : new int[] {400, 413, 414, 417, 431, 501, 505}) {
            assertTrue(CASES.stream().anyMatch(c -> c.expect() == status), "no case for " + status);
        }
        assertTrue(CASES.stream().filter(Corpus.Case::accepted).count() >= 60);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseWholeByteByByteAndInRandomPieces() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Corpus.Case c) {
        List<int[]> splits = new ArrayList<>();
        splits.add(new int[] {Integer.MAX_VALUE});
        splits.add(new int[] {1});
        SplittableRandom r = new SplittableRandom(c.name().hashCode());
        for (int i = 0; i < 4; i++) {
            int[] s = new int[7];
            for (int j = 0; j < s.length; j++) {
                s[j] = 1 + r.nextInt(i % 2 == 0 ? 8 : 300);
            }
            splits.add(s);
        }
        CodecDriver.Result first = null;
        for (int[] pieces : splits) {
            CodecDriver.Result res = CodecDriver.run(c.raw(), pieces, H1Limits.DEFAULTS);
            String where = c.name() + " (pieces " + java.util.Arrays.toString(pieces) + "): " + res.error();
            assertEquals(c.expect(), res.verdict(), where);
            if (c.accepted()) {
                assertEquals(c.count(), res.requests(), where);
                if (c.body() != null) {
                    assertArrayEquals(c.body(), res.bodies(), () -> where + " body: "
                            + new String(res.bodies(), ISO_8859_1));
                }
                if (c.target() != null) {
                    assertEquals(c.target(), res.targets().get(0), where);
                }
            }
            if (first == null) {
                first = res;
            } else {
                assertEquals(first.requests(), res.requests(), where);
                assertArrayEquals(first.bodies(), res.bodies(), where);
            }
        }
    }
}
