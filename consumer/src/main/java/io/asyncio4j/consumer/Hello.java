package io.asyncio4j.consumer;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.Asyncio;
import io.asyncio4j.SchedulerMode;
import io.asyncio4j.Task;
import io.asyncio4j.http.client.ClientResponse;
import io.asyncio4j.http.client.ClientSession;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.Site;
import java.time.Duration;
import java.util.List;

/**
 * The consumer check: a hello-world (two tasks gathered) and an HTTP round trip (our server
 * and our client), built against the installed artifacts and run once on
 * the class path and once on the module path, each with its {@code --add-opens} (checked: the
 * fast scheduler runs). Prints what it did; exits non-zero on any
 * difference from what it expects.
 */
public final class Hello {
    private Hello() {
    }

    static String worker(String name, long millis) {
        sleep(Duration.ofMillis(millis));
        return "Result from " + name;
    }

    /** Runs both checks; the argument names the path it was started on, for the output. */
    public static void main(String[] args) {
        String path = args.length > 0 ? args[0] : "?";
        List<String> results = run(() -> {
            Task<String> a = createTask(() -> worker("A", 20));
            Task<String> b = createTask(() -> worker("B", 10));
            return await(gather(a, b));
        });
        check(results.equals(List.of("Result from A", "Result from B")), "gather: " + results);

        String answer = run(() -> {
            Application app = new Application();
            app.router().get("/hello/{name}", req -> Response.text("Hello, " + req.matchInfo("name") + "! ("
                    + req.header("User-Agent") + ")"));
            try (AppRunner runner = new AppRunner(app)) {
                runner.setup();
                Site site = runner.addTcpSite("127.0.0.1", 0);
                try (ClientSession session = ClientSession.open();
                        ClientResponse r = session.get(site.url() + "/hello/consumer")) {
                    return r.status() + " " + r.text();
                }
            }
        });
        // the client names its version: the artifacts on the path are the ones just built
        String agent = "asyncio4j-http/" + System.getProperty("asyncio4j.version", "?");
        check(answer.equals("200 Hello, consumer! (" + agent + ")"), "HTTP answer: " + answer);

        String where = Hello.class.getModule().isNamed() ? "module path" : "class path";
        check(where.equals(path), "started on the " + path + " but running on the " + where);
        // the --add-opens of this path reached asyncio4j: tasks run on the fast scheduler
        check(Asyncio.schedulerMode() == SchedulerMode.FAST, "scheduler on the " + path + ": " + Asyncio.schedulerMode());
        System.out.println("consumer on the " + path + ": " + results + ", " + answer);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("consumer: unexpected " + what);
            System.exit(1);
        }
    }
}
