package io.asyncio4j.http.testing;

import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.ServerSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts applications for one test and closes them at its end: the object aiohttp's
 * {@code aiohttp_client} fixture is, injected by {@link HttpTestExtension} into an
 * {@code @AsyncioTest} method.
 *
 * {@snippet :
 * @AsyncioTest
 * @ExtendWith(HttpTestExtension.class)
 * void helloIsServed(TestClients clients) throws Exception {
 *     TestClient client = clients.start(app);
 *     assertEquals("Hello", client.get("/").text());
 * }                                       // the client and its application are closed here
 * }
 */
public final class TestClients {
    private final List<TestClient> started = new ArrayList<>();

    TestClients() {
    }

    /**
     * Starts an application on a free loopback port and returns a client for it, closed when the
     * test ends. Suspends while the application starts.
     *
     * @param app the application
     * @return the client
     * @throws Exception what the application's start-up threw
     */
    public TestClient start(Application app) throws Exception {
        TestClient c = TestClient.start(app);
        started.add(c);
        return c;
    }

    /**
     * Starts an application with settings; see {@link #start(Application)}.
     *
     * @param app the application
     * @param settings the settings
     * @return the client
     * @throws Exception what the application's start-up threw
     */
    public TestClient start(Application app, ServerSettings settings) throws Exception {
        TestClient c = TestClient.start(app, settings);
        started.add(c);
        return c;
    }

    /** Closes every client and application, last started first. Suspends. */
    void closeAll() {
        RuntimeException first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (first != null) {
            throw first;
        }
    }
}
