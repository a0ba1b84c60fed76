package io.asyncio4j.sql.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/*
 * Implementation overview
 *
 * A PostgreSQL server of the machine's own installation (Debian's postgresql package: the newest
 * /usr/lib/postgresql/N/bin, or $PG_BIN), made for one test run: initdb into a new temporary
 * directory, configured to listen on 127.0.0.1 only, on a free port, with no Unix socket and
 * trust authentication for 127.0.0.1, durability off (the data is thrown away), started with
 * pg_ctl -w. PostgreSQL refuses to run as root: as root every server program runs as the
 * `postgres` system user through runuser (the package creates that user), and the directory is
 * given to it. close() stops the server (pg_ctl stop -m immediate, then SIGKILL to the postmaster
 * if need be) and deletes the directory; a shutdown hook does the same if the JVM exits first.
 * Starting takes about a second.
 */

/**
 * A throwaway PostgreSQL server for tests, started from the machine's PostgreSQL installation and
 * removed when closed.
 *
 * {@snippet :
 * try (PostgresServer pg = PostgresServer.start()) {
 *     PGSimpleDataSource ds = new PGSimpleDataSource();
 *     ds.setUrl(pg.jdbcUrl());                 // jdbc:postgresql://127.0.0.1:PORT/postgres
 *     ds.setUser(pg.user());
 *     ...
 * }                                            // stopped, its directory deleted
 * }
 *
 * <p>{@link #findInstallation()} tells whether PostgreSQL is installed, so that a test can be
 * skipped with a clear message where it is not. Blocking: call it from a test thread, or with
 * {@code toThread} from a task.
 */
public final class PostgresServer implements AutoCloseable {
    private static final String USER = "postgres";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final List<String> asServerUser;
    private final Thread shutdownHook;
    private boolean closed;

    private PostgresServer(Path bin, Path dir, int port, List<String> asServerUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asServerUser = asServerUser;
        this.shutdownHook = new Thread(this::stopQuietly, "asyncio4j-postgres-stop");
    }

    /**
     * Finds the PostgreSQL server programs: {@code $PG_BIN}, else the newest
     * {@code /usr/lib/postgresql/N/bin} with {@code initdb} and {@code pg_ctl}.
     *
     * @return their directory, or empty when PostgreSQL is not installed
     */
    public static Optional<Path> findInstallation() {
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isEmpty()) {
            Path p = Path.of(env);
            return hasPrograms(p) ? Optional.of(p) : Optional.empty();
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(PostgresServer::hasPrograms)
                    .max(Comparator.comparingInt(PostgresServer::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasPrograms(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Starts a new server on a free loopback port, in a new temporary directory. Blocks for about
     * a second.
     *
     * @return the running server
     * @throws IllegalStateException if PostgreSQL is not installed, or the server did not start
     *     (with the tail of its log)
     */
    public static PostgresServer start() {
        Path bin = findInstallation().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL is not installed (Debian: apt-get install postgresql), or set PG_BIN"));
        List<String> as = List.of();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            if (run(List.of("id", "-u", USER), null) != 0) {
                throw new IllegalStateException("running as root, PostgreSQL needs the system user '" + USER
                        + "' (the postgresql package creates it): useradd --system " + USER);
            }
            as = List.of("runuser", "-u", USER, "--");
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("asyncio4j-pg-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PostgresServer s = new PostgresServer(bin, dir, freePort(), as);
            try {
                s.create(root);
                Runtime.getRuntime().addShutdownHook(s.shutdownHook);
                return s;
            } catch (IllegalStateException e) {
                s.stopQuietly();
                last = e; // the port may have been taken meanwhile: try another
            }
        }
        throw last;
    }

    private void create(boolean root) {
        if (root) {
            exec(List.of("chown", USER + ":", dir.toString()), "chown");
        }
        Path data = dir.resolve("data");
        exec(command("initdb", "-D", data.toString(), "-U", USER, "--auth=trust", "--encoding=UTF8", "--locale=C",
                "--no-sync"), "initdb");
        try {
            Files.writeString(data.resolve("pg_hba.conf"),
                    "# asyncio4j PostgresServer: TCP on 127.0.0.1 only\nhost all all 127.0.0.1/32 trust\n");
            Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                    "",
                    "# asyncio4j PostgresServer: a throwaway server for tests",
                    "listen_addresses = '127.0.0.1'",
                    "port = " + port,
                    "unix_socket_directories = ''",
                    "max_connections = 100",
                    "fsync = off",
                    "synchronous_commit = off",
                    "full_page_writes = off",
                    "logging_collector = off",
                    ""), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot configure the server in " + data, e);
        }
        exec(command("pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-s", "start"), "pg_ctl start");
    }

    /** {@return the port the server listens on, on 127.0.0.1} */
    public int port() {
        return port;
    }

    /** {@return the superuser, {@code postgres}, who connects without a password} */
    public String user() {
        return USER;
    }

    /** {@return the JDBC URL of the {@code postgres} database} */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /**
     * Returns the JDBC URL of a database of this server.
     *
     * @param database the database name
     * @return {@code jdbc:postgresql://127.0.0.1:PORT/database}
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** {@return the server's data and log directory} */
    public Path directory() {
        return dir;
    }

    /** Stops the server and deletes its directory; does nothing the second time. Blocks. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private synchronized void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        Path data = dir.resolve("data");
        Path pidFile = data.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            run(command("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "20", "-s", "stop"), null);
            try {
                if (Files.exists(pidFile)) {
                    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException | RuntimeException e) {
                // nothing more to stop
            }
        }
        deleteTree(dir);
    }

    private List<String> command(String program, String... args) {
        List<String> c = new ArrayList<>(asServerUser);
        c.add(bin.resolve(program).toString());
        c.addAll(List.of(args));
        return c;
    }

    private void exec(List<String> command, String what) {
        StringBuilder out = new StringBuilder();
        int rc = run(command, out);
        if (rc != 0) {
            String log = "";
            try {
                Path l = dir.resolve("server.log");
                if (Files.exists(l)) {
                    List<String> lines = Files.readAllLines(l);
                    log = String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
                }
            } catch (IOException e) {
                // no log
            }
            throw new IllegalStateException(what + " failed (exit " + rc + "): " + out + (log.isEmpty() ? "" : "\n" + log));
        }
    }

    /** Runs a program with the directory as working directory; returns its exit status. */
    private static int run(List<String> command, StringBuilder output) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .directory(Path.of(System.getProperty("java.io.tmpdir")).toFile()).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (output != null) {
                output.append(new String(out, StandardCharsets.UTF_8).strip());
            }
            return p.exitValue();
        } catch (IOException e) {
            if (output != null) {
                output.append(e);
            }
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // left for the system's temporary-file cleanup
        }
    }

    @Override
    public String toString() {
        return "<PostgresServer 127.0.0.1:" + port + (closed ? " stopped" : "") + " " + dir + ">";
    }
}
