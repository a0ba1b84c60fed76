package io.asyncio4j;

import io.asyncio4j.internal.task.Contexts;
import java.util.NoSuchElementException;

/**
 * A variable whose value belongs to the current context: Python's {@code contextvars.ContextVar},
 * with asyncio's rules. Each task starts with a copy of its creator's context, so a value set in
 * a task is invisible to its creator and to its siblings; a callback runs in the context current
 * when it was scheduled; {@link Asyncio#toThread} carries the context to the executor thread.
 *
 * {@snippet :
 * static final ContextVar<String> REQUEST_ID = ContextVar.create("request_id", "-");
 *
 * Token<String> token = REQUEST_ID.set("r-42");
 * try {
 *     handle();                      // and every task handle() creates, sees "r-42"
 * } finally {
 *     REQUEST_ID.reset(token);
 * }
 * }
 *
 * <p>How it relates to the JDK's per-thread values inside tasks: a task is its own virtual thread,
 * so a {@link ThreadLocal} set in a task is private to that task and is not copied into the tasks
 * it creates (an {@link InheritableThreadLocal} is copied when the task's thread is created, much
 * like a context variable); a {@link ScopedValue} binding is visible only in the code that runs
 * inside it on the same thread, so tasks created inside a binding do not see it. A
 * {@code ContextVar} follows asyncio's rules in tasks, callbacks and executor calls alike.
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {
    private final String name;
    private final Object defaultValue;

    private ContextVar(String name, Object defaultValue) {
        this.name = name;
        this.defaultValue = defaultValue;
    }

    /**
     * Creates a variable without a default value.
     *
     * @param <T> the value type
     * @param name the name, for messages
     * @return the variable
     */
    public static <T> ContextVar<T> create(String name) {
        return new ContextVar<>(name, Contexts.MISSING);
    }

    /**
     * Creates a variable with a default value.
     *
     * @param <T> the value type
     * @param name the name, for messages
     * @param defaultValue the value when the context has none
     * @return the variable
     */
    public static <T> ContextVar<T> create(String name, T defaultValue) {
        return new ContextVar<>(name, defaultValue);
    }

    /** {@return the variable's name} */
    public String name() {
        return name;
    }

    /**
     * Returns the variable's value in the current context, or its default value. Never suspends.
     *
     * @return the value
     * @throws NoSuchElementException if the context has no value and there is no default
     *     (Python's {@code LookupError})
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Object v = Contexts.lookup(Contexts.current(), this);
        if (v == Contexts.MISSING) {
            v = defaultValue;
        }
        if (v == Contexts.MISSING) {
            throw new NoSuchElementException("ContextVar '" + name + "' has no value");
        }
        return (T) v;
    }

    /**
     * Returns the variable's value in the current context, or {@code fallback} when it has none
     * (the variable's own default is not used). Never suspends.
     *
     * @param fallback the value to return when the context has none
     * @return the value
     */
    @SuppressWarnings("unchecked")
    public T get(T fallback) {
        Object v = Contexts.lookup(Contexts.current(), this);
        return v == Contexts.MISSING ? fallback : (T) v;
    }

    /**
     * Sets the variable's value in the current context. Never suspends.
     *
     * @param value the value
     * @return a token that {@link #reset} takes to restore the previous value
     */
    public Token<T> set(T value) {
        Object[] map = Contexts.current();
        Object old = Contexts.lookup(map, this);
        Contexts.replace(Contexts.with(map, this, value));
        return new Token<>(this, old, Contexts.carrier());
    }

    /**
     * Restores the value the variable had before the {@link #set} that returned the token. Never
     * suspends.
     *
     * @param token the token
     * @throws IllegalStateException if the token was already used
     * @throws IllegalArgumentException if the token belongs to another variable or was created in
     *     another context
     */
    public void reset(Token<T> token) {
        if (token.var != this) {
            throw new IllegalArgumentException(token + " was created by a different ContextVar");
        }
        if (token.used) {
            throw new IllegalStateException(token + " has already been used once");
        }
        if (token.carrier != Contexts.carrier()) {
            throw new IllegalArgumentException(token + " was created in a different Context");
        }
        token.used = true;
        Contexts.replace(Contexts.with(Contexts.current(), this, token.oldValue));
    }

    @Override
    public String toString() {
        return "<ContextVar name='" + name + "'" + (defaultValue == Contexts.MISSING ? "" : " default=" + defaultValue)
                + ">";
    }

    /**
     * What {@link ContextVar#set} returns: the variable and the value it replaced, for
     * {@link ContextVar#reset}.
     *
     * @param <T> the value type
     */
    public static final class Token<T> {
        private final ContextVar<T> var;
        private final Object oldValue;
        private final Object carrier;
        private boolean used;

        private Token(ContextVar<T> var, Object oldValue, Object carrier) {
            this.var = var;
            this.oldValue = oldValue;
            this.carrier = carrier;
        }

        /** {@return the variable this token belongs to} */
        public ContextVar<T> var() {
            return var;
        }

        /** {@return whether the variable had a value before the set} */
        public boolean hadValue() {
            return oldValue != Contexts.MISSING;
        }

        /**
         * Returns the value the variable had before the set.
         *
         * @return the old value
         * @throws NoSuchElementException if it had none (Python's {@code Token.MISSING})
         */
        @SuppressWarnings("unchecked")
        public T oldValue() {
            if (oldValue == Contexts.MISSING) {
                throw new NoSuchElementException(var.name() + " had no value before");
            }
            return (T) oldValue;
        }

        @Override
        public String toString() {
            return "<Token var=" + var + (used ? " used" : "") + ">";
        }
    }
}
