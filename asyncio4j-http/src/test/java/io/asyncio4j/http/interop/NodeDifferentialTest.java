package io.asyncio4j.http.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.asyncio4j.http.internal.h1.Corpus;
import io.asyncio4j.http.internal.h1.Exchanges;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every corpus case sent to Node's built-in http server (llhttp, its defaults) and to ours over
 * loopback: the accept/reject verdicts must agree, except where the corpus documents a deliberate
 * difference (its {@code node:} field), and such a note must still hold. Our server must also
 * give the corpus's own verdict, status included. The table of results goes to
 * {@code target/node-differential.txt}.
 */
class NodeDifferentialTest {
    private static final int IDLE_MILLIS = 400;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void ourServerAndNodesAgreeOnEveryCaseButTheDocumentedOnes() throws Exception {
        String node = Tools.require("node", "nodejs");
        Path dir = Files.createTempDirectory("node-diff");
        Path script = dir.resolve("node-server.js");
        try (InputStream in = getClass().getResourceAsStream("/io/asyncio4j/http/interop/node-server.js")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(node, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Application app = new Application();
        // every request the parser accepts is answered, whatever its method and target form
        app.use((r, next) -> Response.text(r.method() + " " + r.target() + " " + r.read().length + "\n"));
        List<String> table = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int agree = 0;
        int documented = 0;
        try (BackgroundServer ours = BackgroundServer.start(app)) {
            int nodePort = Integer.parseInt(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            List<Corpus.Case> cases = Corpus.load();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Exchanges.Answer[]>> answers = new ArrayList<>();
                for (Corpus.Case c : cases) {
                    answers.add(pool.submit(() -> new Exchanges.Answer[] {
                        Exchanges.exchange(ours.port(), c.raw(), c.count(), IDLE_MILLIS),
                        Exchanges.exchange(nodePort, c.raw(), c.count(), IDLE_MILLIS)}));
                }
                for (int i = 0; i < cases.size(); i++) {
                    Corpus.Case c = cases.get(i);
                    Exchanges.Answer[] a = answers.get(i).get(2, TimeUnit.MINUTES);
                    Exchanges.Answer mine = a[0];
                    Exchanges.Answer theirs = a[1];
                    String expected = c.accepted() ? "accept" : Integer.toString(c.expect());
                    String got = mine.accepted() ? "accept" : mine.statuses().isEmpty() ? "none"
                            : Integer.toString(mine.statuses().get(mine.statuses().size() - 1));
                    if (!expected.equals(got) || (c.accepted() && mine.statuses().size() != c.count())) {
                        problems.add(c.name() + ": our server answered " + mine + ", the corpus says " + expected);
                    }
                    boolean same = mine.accepted() == theirs.accepted();
                    String nodeVerdict = theirs.accepted() ? "accept" : "reject";
                    String line = String.format("%-45s ours %-7s node %-7s %s", c.name(), got, nodeVerdict + theirs,
                            same ? "agree" : "DIFFERENT" + (c.node() != null ? " (documented: " + c.nodeWhy() + ")" : ""));
                    table.add(line);
                    if (same) {
                        agree++;
                        if (c.node() != null) {
                            problems.add(c.name() + ": documented as a difference, but Node agrees now: " + theirs);
                        }
                    } else if (c.node() != null && (c.node() == 0) == theirs.accepted()) {
                        documented++;
                    } else {
                        problems.add(c.name() + ": Node " + nodeVerdict + " " + theirs + " but ours " + got
                                + " (not documented)");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(script);
            Files.deleteIfExists(dir);
        }
        table.add("");
        table.add(agree + " agree, " + documented + " documented differences, " + problems.size() + " problems, of "
                + (agree + documented + problems.stream().filter(s -> s.contains("Node ")).count()) + " cases");
        Path report = Path.of("target", "node-differential.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, table);
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems:\n  " + String.join("\n  ", problems));
        }
        assertTrue(agree > 150, "agreements: " + agree);
        assertEquals(0, problems.size());
    }
}
