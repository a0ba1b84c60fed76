package io.asyncio4j.http.internal.ws;

import java.security.SecureRandom;

/**
 * Mask keys for a client's frames from a cryptographically strong source (RFC 6455 §5.3: the
 * keys must not be predictable). The random bytes are fetched 1 KiB at a time, so that a frame
 * costs no call into the system's random source. One per connection; loop thread only.
 */
final class MaskSource {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] pool = new byte[1024];
    private int pos = pool.length;

    /** {@return the next mask key} */
    int next() {
        if (pos == pool.length) {
            RANDOM.nextBytes(pool);
            pos = 0;
        }
        int k = ((pool[pos] & 0xFF) << 24) | ((pool[pos + 1] & 0xFF) << 16) | ((pool[pos + 2] & 0xFF) << 8)
                | (pool[pos + 3] & 0xFF);
        pos += 4;
        return k;
    }
}
