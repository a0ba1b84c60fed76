package io.asyncio4j.examples;

import io.asyncio4j.examples.tour.AsyncContextManager;
import io.asyncio4j.examples.tour.AsyncCounter;
import io.asyncio4j.examples.tour.AsyncCounterGenerator;
import io.asyncio4j.examples.tour.ConcurrentCommands;
import io.asyncio4j.examples.tour.ConcurrentFetch;
import io.asyncio4j.examples.tour.Crawler;
import io.asyncio4j.examples.tour.Echo;
import io.asyncio4j.examples.tour.Exceptions;
import io.asyncio4j.examples.tour.GatherBasics;
import io.asyncio4j.examples.tour.GatherResults;
import io.asyncio4j.examples.tour.Hello;
import io.asyncio4j.examples.tour.LiveOutput;
import io.asyncio4j.examples.tour.Pipeline;
import io.asyncio4j.examples.tour.SequentialVsConcurrent;
import io.asyncio4j.examples.tour.TwoTasks;
import io.asyncio4j.examples.tour.WaitForTimeout;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SequencedSet;
import java.util.function.Consumer;

/**
 * Runs the asyncio tour: every example of {@link io.asyncio4j.examples.tour}, in order, or only
 * those named on the command line. {@code ./asyncio4j tour} launches it.
 *
 * {@snippet lang = "shell" :
 * ./asyncio4j tour                 # every example
 * ./asyncio4j tour 4 hello         # example 4, then example 1
 * ./asyncio4j tour --list          # the examples' numbers and names
 * }
 *
 * <p>An example is named by its number, its name ({@code gather-results}) or its class
 * ({@code GatherResults}), ignoring case.
 */
public final class Tour {
    private Tour() {
    }

    /** One program of the tour: its number, its name in the headers, and how to run it. */
    private record Example(int number, String name, Consumer<PrintStream> demo) {
        boolean isNamed(String selector) {
            // Dropping case and punctuation makes "gather-results" match "GatherResults" too.
            String key = selector.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
            return key.equals(Integer.toString(number)) || key.equals(name.replace("-", ""));
        }
    }

    private static final List<Example> EXAMPLES = List.of(
            new Example(1, "hello", Hello::demo),
            new Example(2, "two-tasks", TwoTasks::demo),
            new Example(3, "gather-basics", GatherBasics::demo),
            new Example(4, "gather-results", GatherResults::demo),
            new Example(5, "sequential-vs-concurrent", SequentialVsConcurrent::demo),
            new Example(6, "wait-for-timeout", WaitForTimeout::demo),
            new Example(7, "exceptions", Exceptions::demo),
            new Example(8, "async-context-manager", AsyncContextManager::demo),
            new Example(9, "concurrent-fetch", ConcurrentFetch::demo),
            new Example(10, "async-iterator", AsyncCounter::demo),
            new Example(11, "async-generator", AsyncCounterGenerator::demo),
            new Example(12, "crawler", Crawler::demo),
            new Example(13, "echo", Echo::demo),
            new Example(14, "concurrent-commands", ConcurrentCommands::demo),
            new Example(15, "live-output", LiveOutput::demo),
            new Example(16, "pipeline", Pipeline::demo));

    /**
     * Runs the tour on standard output and exits with its status: 0, or 2 for an unknown example.
     *
     * @param args the examples to run, by number or name; none runs them all
     */
    public static void main(String[] args) {
        int status = tour(List.of(args), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the selected examples in the order given, each under a header line such as
     * {@code == 1. hello ==}, or all of them in order if none is selected. {@code --list} (or
     * {@code -l}) prints the examples instead, and {@code --help} (or {@code -h}) a usage line
     * and the examples. Blocks the calling thread while the examples run, each on its own event
     * loop; must not be called from a running loop.
     *
     * @param selectors example numbers or names, or an option
     * @param out where the examples and the list print
     * @param err where an unknown example is reported
     * @return the exit status: 0, or 2 if a selector names no example (then nothing runs)
     */
    public static int tour(List<String> selectors, PrintStream out, PrintStream err) {
        if (selectors.contains("--help") || selectors.contains("-h")) {
            out.println("usage: ./asyncio4j tour [EXAMPLE...]   (by number or name; none runs all)");
            printList(out);
            return 0;
        }
        if (selectors.contains("--list") || selectors.contains("-l")) {
            printList(out);
            return 0;
        }
        // Resolve every selector before running anything, so a typo does not cost a long wait.
        SequencedSet<Example> chosen = new LinkedHashSet<>();
        if (selectors.isEmpty()) {
            chosen.addAll(EXAMPLES);
        }
        List<String> unknown = new ArrayList<>();
        for (String selector : selectors) {
            EXAMPLES.stream().filter(e -> e.isNamed(selector)).findFirst()
                    .ifPresentOrElse(chosen::add, () -> unknown.add(selector));
        }
        if (!unknown.isEmpty()) {
            err.println("tour: no example named " + String.join(", ", unknown)
                    + "; choose a number or a name from ./asyncio4j tour --list");
            return 2;
        }
        boolean first = true;
        for (Example example : chosen) {
            if (!first) {
                out.println();
            }
            first = false;
            out.println("== " + example.number() + ". " + example.name() + " ==");
            example.demo().accept(out);
        }
        return 0;
    }

    private static void printList(PrintStream out) {
        for (Example example : EXAMPLES) {
            out.println(example.number() + "  " + example.name());
        }
    }
}
