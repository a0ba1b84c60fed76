package io.asyncio4j;

import static io.asyncio4j.Asyncio.getRunningLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's getAddrInfo and getNameInfo: asyncio's getaddrinfo and getnameinfo. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NameResolutionTest {

    @Test
    void anAddressLiteralResolvesToItselfWithThePort() {
        AsyncTesting.run(() -> {
            assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080)),
                    getRunningLoop().getAddrInfo("127.0.0.1", 8080));
        });
    }

    @Test
    void aNameResolvesOnTheExecutorToItsAddresses() {
        AsyncTesting.run(() -> {
            List<InetSocketAddress> all = getRunningLoop().getAddrInfo("localhost", 9);
            assertTrue(!all.isEmpty() && all.stream().allMatch(a -> a.getAddress().isLoopbackAddress()
                    && a.getPort() == 9), "localhost: " + all);
        });
    }

    @Test
    void anUnknownNameIsAnUnknownHostException() {
        AsyncTesting.run(() -> {
            assertThrows(UnknownHostException.class, () -> getRunningLoop().getAddrInfo("no-such-host.invalid", 1));
            assertThrows(NullPointerException.class, () -> getRunningLoop().getAddrInfo(null, 1));
        });
    }

    @Test
    void getNameInfoGivesTheHostNameOfAnAddress() {
        AsyncTesting.run(() -> {
            String name = getRunningLoop().getNameInfo(InetAddress.getByName("127.0.0.1"));
            assertTrue(InetAddress.getByName(name).isLoopbackAddress(), "127.0.0.1 is " + name);
        });
    }
}
