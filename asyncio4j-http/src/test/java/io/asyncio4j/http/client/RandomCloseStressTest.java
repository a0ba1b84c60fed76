package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.testing.HttpTest;

/** The random-close test: 10,000 requests over a pool of 100 (the stress profile runs it). */
class RandomCloseStressTest {
    @HttpTest
    void tenThousandRequestsAgainstAServerClosingConnectionsAtRandom() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            RandomClose.Result r = RandomClose.run(10_000, 100, seed);
            System.out.println("random close, 10,000 requests over 100, seed " + seed + ": " + r);
            assertEquals(10_000, r.ok(), r.toString());
            assertTrue(r.reused() > 0, r.toString());
        }
    }
}
