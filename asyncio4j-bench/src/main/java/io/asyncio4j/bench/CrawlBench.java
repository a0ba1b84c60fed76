package io.asyncio4j.bench;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.http.client.ClientOptions;
import io.asyncio4j.http.client.ClientResponse;
import io.asyncio4j.http.client.ClientSession;
import io.asyncio4j.http.client.ClientTimeout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code crawl} workload (WORKLOADS.md): a {@link ClientSession} fetches n URLs
 * {@code /page/{i}} from the runner's nginx, at most 100 at once (100 worker tasks taking the next
 * index), over the session's keep-alive pool of 100. Check: n responses of 200 with 1024-byte
 * bodies. The warm-up (n/10) and the measured round share the session, as the peers share their
 * client.
 */
final class CrawlBench {
    private static final int CONCURRENCY = 100;

    private CrawlBench() {
    }

    static void run(int port, int n) {
        boolean ok = Asyncio.run(() -> {
            try (ClientSession session = ClientSession.open(ClientOptions.defaults().withLimit(CONCURRENCY)
                    .withTimeout(ClientTimeout.none()).withCookieJar(null))) {
                String base = "http://127.0.0.1:" + port + "/page/";
                boolean good = round(session, base, Math.max(1, n / 10)) >= 0;
                long t0 = System.nanoTime();
                long fine = round(session, base, n);
                double seconds = (System.nanoTime() - t0) / 1e9;
                good &= fine == n;
                System.out.printf(Locale.ROOT,
                        "{\"workload\":\"crawl\",\"impl\":\"asyncio4j\",\"n\":%d,\"seconds\":%.6f,\"rate\":%.1f,"
                                + "\"ok\":%b}%n", n, seconds, n / seconds, good);
                System.out.flush();
                return good;
            }
        });
        System.exit(ok ? 0 : 1);
    }

    /** {@return how many of the n fetches got a 200 with 1024 bytes} */
    private static long round(ClientSession session, String base, int n) throws Exception {
        int[] next = {0};
        long[] good = {0};
        List<Task<Void>> workers = new ArrayList<>(CONCURRENCY);
        for (int w = 0; w < CONCURRENCY; w++) {
            workers.add(Asyncio.createTask(() -> {
                while (true) {
                    int i = next[0]++;
                    if (i >= n) {
                        return;
                    }
                    try (ClientResponse r = session.get(base + i)) {
                        if (r.status() == 200 && r.read().length == 1024) {
                            good[0]++;
                        }
                    }
                }
            }));
        }
        Asyncio.await(Asyncio.gather(workers));
        return good[0];
    }
}
