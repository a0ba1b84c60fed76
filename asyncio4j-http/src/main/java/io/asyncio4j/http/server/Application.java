package io.asyncio4j.http.server;

import io.asyncio4j.http.JsonCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * A web application: aiohttp's {@code web.Application}. It holds the router, the middlewares,
 * shared state ({@link StateKey}s), the lifecycle hooks and sub-applications; an
 * {@link AppRunner} (or {@link Web#runApp}) serves it.
 *
 * {@snippet :
 * Application app = new Application();
 * app.router().get("/", req -> Response.text("hello"));
 * app.use((req, next) -> next.handle(req));  // a middleware
 * app.cleanupContext(a -> {                    // start-up, and its cleanup, in one place
 *     Database db = Database.open();
 *     a.set(DB, db);
 *     return db::close;                        // runs at cleanup
 * });
 * Web.runApp(app, "127.0.0.1", 8080);
 * }
 *
 * <p>Lifecycle, as aiohttp: at start-up the cleanup contexts are entered (in order), then the
 * start-up hooks run, then the sub-applications' start-ups; at shutdown the shutdown hooks run
 * (while requests in flight finish); at cleanup the contexts are left in reverse order, then the
 * cleanup hooks run, then the sub-applications'. Once started, the application is frozen: its
 * routes, middlewares and hooks no longer change.
 */
public final class Application {
    /** A lifecycle hook: aiohttp's {@code on_startup}/{@code on_shutdown}/{@code on_cleanup} signal handlers. */
    @FunctionalInterface
    public interface Hook {
        /**
         * Runs the hook. May suspend.
         *
         * @param app the application
         * @throws Exception to fail the start-up (or to be reported, at shutdown and cleanup)
         */
        void run(Application app) throws Exception;
    }

    /**
     * Start-up and cleanup in one: aiohttp's {@code cleanup_ctx} generator. {@link #start} runs at
     * start-up; the {@link AutoCloseable} it returns is closed at cleanup.
     */
    @FunctionalInterface
    public interface CleanupContext {
        /**
         * Enters the context. May suspend.
         *
         * @param app the application
         * @return what to close at cleanup
         * @throws Exception to fail the start-up
         */
        AutoCloseable start(Application app) throws Exception;
    }

    /** aiohttp's default client max size: 1 MiB. */
    public static final long DEFAULT_CLIENT_MAX_SIZE = 1024 * 1024;

    private final Router router = new Router();
    private final List<Middleware> middlewares = new ArrayList<>();
    private final List<Hook> onStartup = new ArrayList<>();
    private final List<Hook> onShutdown = new ArrayList<>();
    private final List<Hook> onCleanup = new ArrayList<>();
    private final List<CleanupContext> cleanupContexts = new ArrayList<>();
    private final List<AutoCloseable> entered = new ArrayList<>();
    private final List<Application> subApps = new ArrayList<>();
    private final Map<StateKey<?>, Object> state = new IdentityHashMap<>();
    private long clientMaxSize = DEFAULT_CLIENT_MAX_SIZE;
    private JsonCodec jsonCodec;
    private boolean frozen;
    private Application parent;
    private final List<Application> selfChain = List.of(this);

    /** Makes an empty application. */
    public Application() {
    }

    /** {@return the router} */
    public Router router() {
        return router;
    }

    private void checkNotFrozen() {
        if (frozen) {
            throw new IllegalStateException("the application has started and is frozen");
        }
    }

    /**
     * Adds a middleware; the first added is the outermost.
     *
     * @param middleware the middleware
     * @return this application
     */
    public Application use(Middleware middleware) {
        checkNotFrozen();
        middlewares.add(Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /** {@return the middlewares, outermost first} */
    public List<Middleware> middlewares() {
        return Collections.unmodifiableList(middlewares);
    }

    /**
     * Adds a start-up hook.
     *
     * @param hook the hook
     * @return this application
     */
    public Application onStartup(Hook hook) {
        checkNotFrozen();
        onStartup.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /**
     * Adds a shutdown hook: it runs when the server stops, before it waits for requests in
     * flight (close WebSockets and long polls here).
     *
     * @param hook the hook
     * @return this application
     */
    public Application onShutdown(Hook hook) {
        checkNotFrozen();
        onShutdown.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /**
     * Adds a cleanup hook: it runs last, once no request is in flight.
     *
     * @param hook the hook
     * @return this application
     */
    public Application onCleanup(Hook hook) {
        checkNotFrozen();
        onCleanup.add(Objects.requireNonNull(hook, "hook"));
        return this;
    }

    /**
     * Adds a cleanup context.
     *
     * @param context the context
     * @return this application
     */
    public Application cleanupContext(CleanupContext context) {
        checkNotFrozen();
        cleanupContexts.add(Objects.requireNonNull(context, "context"));
        return this;
    }

    /**
     * Mounts an application at a prefix (aiohttp's {@code add_subapp}): requests under the prefix
     * are resolved by its router, its middlewares run inside this one's, its state is looked up
     * first by {@link Request#config}, and its lifecycle runs with this one's.
     *
     * @param prefix the prefix, e.g. {@code /admin}
     * @param app the sub-application
     * @return this application
     * @throws IllegalArgumentException if the application is mounted already
     */
    public Application addSubApp(String prefix, Application app) {
        checkNotFrozen();
        if (app.parent != null || app == this) {
            throw new IllegalArgumentException("an application can be mounted once");
        }
        router.addSubApp(prefix, app);
        app.parent = this;
        subApps.add(app);
        return this;
    }

    /**
     * Stores a value.
     *
     * @param <T> its type
     * @param key the key
     * @param value the value
     * @return this application
     */
    public <T> Application set(StateKey<T> key, T value) {
        state.put(key, key.cast(value));
        return this;
    }

    /**
     * Returns a value.
     *
     * @param <T> its type
     * @param key the key
     * @return the value
     * @throws NoSuchElementException if there is none
     */
    public <T> T get(StateKey<T> key) {
        return find(key).orElseThrow(() -> new NoSuchElementException("the application has no " + key));
    }

    /**
     * {@return a value, if stored}
     * @param <T> its type
     * @param key the key
     */
    public <T> Optional<T> find(StateKey<T> key) {
        return Optional.ofNullable(key.cast(state.get(key)));
    }

    /** {@return the largest request body, in bytes (1 MiB by default)} */
    public long clientMaxSize() {
        return clientMaxSize;
    }

    /**
     * Sets the largest request body (aiohttp's {@code client_max_size}); bigger ones get 413.
     *
     * @param bytes the limit
     * @return this application
     */
    public Application setClientMaxSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a negative size: " + bytes);
        }
        checkNotFrozen();
        clientMaxSize = bytes;
        return this;
    }

    /** {@return the JSON codec: the one set, the parent's, or the default} */
    public JsonCodec jsonCodec() {
        if (jsonCodec != null) {
            return jsonCodec;
        }
        return parent != null ? parent.jsonCodec() : JsonCodec.defaultCodec();
    }

    /**
     * Sets the JSON codec.
     *
     * @param codec the codec
     * @return this application
     */
    public Application setJsonCodec(JsonCodec codec) {
        this.jsonCodec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /** {@return whether the application has started} */
    public boolean isFrozen() {
        return frozen;
    }

    /** {@return the application this one is mounted in, if any} */
    public Optional<Application> parent() {
        return Optional.ofNullable(parent);
    }

    // ------------------------------------------------------------------ lifecycle (AppRunner)

    List<Application> selfChain() {
        return selfChain;
    }

    void freeze() {
        frozen = true;
        router.freeze();
        for (Application s : subApps) {
            s.freeze();
        }
    }

    /** Start-up: contexts, hooks, sub-applications; on failure, leaves the contexts entered. */
    void startup() throws Exception {
        freeze();
        for (CleanupContext c : cleanupContexts) {
            entered.add(Objects.requireNonNull(c.start(this), "a cleanup context returned null"));
        }
        for (Hook h : onStartup) {
            h.run(this);
        }
        for (Application s : subApps) {
            s.startup();
        }
    }

    /** Shutdown hooks, then the sub-applications'; every hook runs, the first failure is thrown. */
    void shutdown() throws Exception {
        Exception first = null;
        for (Hook h : onShutdown) {
            try {
                h.run(this);
            } catch (Exception e) {
                first = first == null ? e : add(first, e);
            }
        }
        for (Application s : subApps) {
            try {
                s.shutdown();
            } catch (Exception e) {
                first = first == null ? e : add(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Cleanup: contexts left in reverse order, then hooks, then sub-applications; all run. */
    void cleanup() throws Exception {
        Exception first = null;
        for (int i = entered.size() - 1; i >= 0; i--) {
            try {
                entered.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : add(first, e);
            }
        }
        entered.clear();
        for (Hook h : onCleanup) {
            try {
                h.run(this);
            } catch (Exception e) {
                first = first == null ? e : add(first, e);
            }
        }
        for (Application s : subApps) {
            try {
                s.cleanup();
            } catch (Exception e) {
                first = first == null ? e : add(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static Exception add(Exception first, Exception more) {
        first.addSuppressed(more);
        return first;
    }

    @Override
    public String toString() {
        return "<Application " + router.routes().size() + " routes, " + subApps.size() + " sub-applications>";
    }
}
