package io.asyncio4j.http.server;

import io.asyncio4j.Asyncio;
import java.time.Duration;

/** A program for LifecycleTest: serves until SIGTERM, printing its lifecycle on stdout. */
public final class RunAppMain {
    private RunAppMain() {
    }

    /**
     * Runs the application.
     *
     * @param args the port
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        Application app = new Application();
        app.router().get("/slow", r -> {
            System.out.println("handler started");
            Asyncio.sleep(Duration.ofMillis(700));
            return Response.text("slow done");
        });
        app.cleanupContext(a -> {
            System.out.println("context entered");
            return () -> System.out.println("context left");
        });
        app.onStartup(a -> System.out.println("startup"));
        app.onShutdown(a -> System.out.println("shutdown"));
        app.onCleanup(a -> System.out.println("cleanup"));
        Web.runApp(app, RunOptions.tcp("127.0.0.1", Integer.parseInt(args[0]))
                .withSettings(ServerSettings.defaults().withAccessLog(false)));
        System.out.println("runApp returned");
    }
}
