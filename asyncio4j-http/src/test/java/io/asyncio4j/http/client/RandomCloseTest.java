package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.testing.HttpTest;

/** The random-close test in the default suite: 1,000 requests over a pool of 20. */
class RandomCloseTest {
    @HttpTest
    void aServerClosingConnectionsAtRandomNeverCostsABodyOrADescriptor() throws Exception {
        RandomClose.Result r = RandomClose.run(1_000, 20, 42);
        System.out.println("random close, 1,000 requests over 20: " + r);
        assertEquals(1_000, r.ok(), "every request got its body (a retry covers each stale connection): " + r);
        assertTrue(r.reused() > 0 && r.created() > 20, r.toString());
    }
}
