package io.asyncio4j;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Test helper: collects what asyncio4j logs through its {@link System.Logger} named
 * {@code io.asyncio4j}, which the JDK backs with the java.util.logging logger of that name. Use
 * with try-with-resources; captured records are kept off the console meanwhile.
 *
 * <p>The tests are compiled inside module {@code io.asyncio4j}, which does not read
 * {@code java.logging}, so the logger is reached reflectively: a {@code java.util.logging.Filter}
 * (an interface, hence a proxy) sees every record the logger publishes.
 */
final class LogCapture implements AutoCloseable {

    /**
     * One log record.
     *
     * @param level the java.util.logging level name: {@code SEVERE} for ERROR, {@code WARNING}
     * @param message the message
     * @param thrown the exception logged with it, or {@code null}
     */
    record Entry(String level, String message, Throwable thrown) {
    }

    private final Object logger;
    private final Object previousFilter;
    private final Method setFilter;
    private final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());

    LogCapture() {
        try {
            Class<?> loggerClass = Class.forName("java.util.logging.Logger");
            Class<?> filterClass = Class.forName("java.util.logging.Filter");
            Class<?> recordClass = Class.forName("java.util.logging.LogRecord");
            Class<?> levelClass = Class.forName("java.util.logging.Level");
            Method getLevel = recordClass.getMethod("getLevel");
            Method getMessage = recordClass.getMethod("getMessage");
            Method getThrown = recordClass.getMethod("getThrown");
            Method levelName = levelClass.getMethod("getName");
            logger = loggerClass.getMethod("getLogger", String.class).invoke(null, "io.asyncio4j");
            previousFilter = loggerClass.getMethod("getFilter").invoke(logger);
            setFilter = loggerClass.getMethod("setFilter", filterClass);
            Object filter = Proxy.newProxyInstance(LogCapture.class.getClassLoader(), new Class<?>[] {filterClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "isLoggable" -> {
                            Object r = args[0];
                            entries.add(new Entry((String) levelName.invoke(getLevel.invoke(r)),
                                    (String) getMessage.invoke(r), (Throwable) getThrown.invoke(r)));
                            yield false;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "LogCapture";
                    });
            setFilter.invoke(logger, filter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot capture java.util.logging output", e);
        }
    }

    /** {@return the records logged so far, in order} */
    List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /**
     * Finds records by level and message text.
     *
     * @param level the level name, {@code SEVERE} or {@code WARNING}
     * @param text a text the message contains
     * @return the matching records
     */
    List<Entry> find(String level, String text) {
        return entries().stream()
                .filter(e -> e.level().equals(level) && e.message() != null && e.message().contains(text))
                .toList();
    }

    @Override
    public void close() {
        try {
            setFilter.invoke(logger, previousFilter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
