package io.asyncio4j.http.server;

import java.util.Objects;

/**
 * A typed key for state kept on an {@link Application} or a {@link Request}: aiohttp's
 * {@code web.AppKey} (and {@code RequestKey}). Keys compare by identity, so two libraries that
 * both use the name {@code "db"} do not collide.
 *
 * {@snippet :
 * static final StateKey<Database> DB = StateKey.of("db", Database.class);
 * app.set(DB, Database.open());
 * Database db = request.config(DB);
 * }
 *
 * @param <T> the value's type
 */
public final class StateKey<T> {
    private final String name;
    private final Class<T> type;

    private StateKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * {@return a new key}
     * @param <T> the value's type
     * @param name a name for messages
     * @param type the value's type (values are checked against it)
     */
    public static <T> StateKey<T> of(String name, Class<T> type) {
        return new StateKey<>(name, type);
    }

    /** {@return the key's name} */
    public String name() {
        return name;
    }

    /** {@return the value's type} */
    public Class<T> type() {
        return type;
    }

    T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "<StateKey(" + name + ", type=" + type.getSimpleName() + ")>";
    }
}
