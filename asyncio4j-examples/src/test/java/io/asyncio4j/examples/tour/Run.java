package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one run of an example printed and how long it took, for the tour's tests.
 *
 * @param lines the printed lines
 * @param seconds the wall-clock time of the whole run, loop creation and closing included
 */
record Run(List<String> lines, double seconds) {
    /** Matches the elapsed times the examples print, as Python's {@code :.2f} formats them. */
    private static final Pattern SECONDS = Pattern.compile("\\d+\\.\\d\\d");
    /** Matches the ports the network examples print, in URLs and in Python's address tuples. */
    private static final Pattern PORT = Pattern.compile("(?<=127\\.0\\.0\\.1:)\\d+|(?<=', )\\d+(?=\\))");

    /** Runs an example, capturing what it prints. */
    static Run of(Consumer<PrintStream> example) {
        var bytes = new ByteArrayOutputStream();
        long start = System.nanoTime();
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            example.accept(out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(bytes.toString(StandardCharsets.UTF_8).lines().toList(), seconds);
    }

    /**
     * {@return the printed lines with each elapsed time replaced by {@code N.NN}} The exact times
     * vary from run to run; {@link #printedSeconds} checks them.
     */
    List<String> linesWithoutTimes() {
        return lines.stream().map(l -> SECONDS.matcher(l).replaceAll("N.NN")).toList();
    }

    /**
     * {@return the printed lines with each elapsed time replaced by {@code N.NN} and each port by
     * {@code PORT}} Ports are chosen afresh on every run.
     */
    List<String> linesWithoutTimesAndPorts() {
        return linesWithoutTimes().stream().map(l -> PORT.matcher(l).replaceAll("PORT")).toList();
    }

    /** {@return the elapsed time printed on line {@code index}} */
    double printedSeconds(int index) {
        Matcher m = SECONDS.matcher(lines.get(index));
        if (!m.find()) {
            fail("no elapsed time on line " + index + ": " + lines.get(index));
        }
        return Double.parseDouble(m.group());
    }

    /** Fails unless the whole run took at least {@code min} and less than {@code max} seconds. */
    void assertTookBetween(double min, double max) {
        assertBetween(min, seconds, max, "the run");
    }

    /** Fails unless {@code min <= actual < max}; the bounds are generous for a noisy 2-core machine. */
    static void assertBetween(double min, double actual, double max, String what) {
        assertTrue(actual >= min && actual < max,
                what + " took " + actual + " s, expected at least " + min + " s and less than " + max + " s");
    }
}
