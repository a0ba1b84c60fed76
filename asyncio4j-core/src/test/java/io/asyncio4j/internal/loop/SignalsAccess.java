package io.asyncio4j.internal.loop;

/** Test access to the JVM's installed signal handlers. */
public final class SignalsAccess {
    private SignalsAccess() {
    }

    /**
     * Returns the handler installed for a signal (it is swapped out and back for an instant).
     *
     * @param name the signal's name
     * @return the handler object
     */
    public static Object current(String name) {
        Object probe = Signals.handler("probe", () -> { });
        Object current = Signals.swap(name, probe);
        Signals.swap(name, current);
        return current;
    }
}
