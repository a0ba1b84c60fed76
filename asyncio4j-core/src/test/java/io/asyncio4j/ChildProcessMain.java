package io.asyncio4j;

import static io.asyncio4j.Asyncio.sleep;

import java.time.Duration;

/**
 * Test helper: a program run in a child JVM by tests that need a process of their own (signals,
 * system properties read once per JVM). The first argument selects the scenario.
 */
public final class ChildProcessMain {
    private ChildProcessMain() {
    }

    /**
     * Runs one scenario.
     *
     * @param args the scenario: {@code sigint-cleanup}, {@code sigint-catch}, {@code sigint-twice}
     *     or {@code debug-property}
     */
    public static void main(String[] args) {
        switch (args[0]) {
            case "sigint-cleanup" -> Asyncio.run(() -> {
                try {
                    say("started");
                    sleep(Duration.ofSeconds(30));
                    say("slept");
                } finally {
                    say("cleanup");
                }
            });
            case "sigint-catch" -> {
                Asyncio.run(() -> {
                    try {
                        say("started");
                        sleep(Duration.ofSeconds(30));
                        say("slept");
                    } catch (CancelledError e) {
                        say("caught");
                    }
                });
                say("returned");
            }
            case "sigint-twice" -> Asyncio.run(() -> {
                try {
                    say("started");
                    sleep(Duration.ofSeconds(30));
                } catch (CancelledError e) {
                    say("caught");
                }
                sleep(Duration.ofSeconds(30));
                say("slept again");
            });
            case "debug-property" -> say("debug=" + Asyncio.run(() -> Asyncio.getRunningLoop().getDebug()));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
