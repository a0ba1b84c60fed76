package io.asyncio4j.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made once per JVM with
 * the JDK's keytool (nothing checked in that could expire), with a PEM copy for curl, Python and
 * Node.
 */
public final class TestTls {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static TestTls instance;

    final Path dir;
    public final Path certPem;
    private final KeyStore keys;

    private TestTls(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        this.dir = dir;
        Path p12 = dir.resolve("server.p12");
        run(dir, "keytool", "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        certPem = dir.resolve("server.pem");
        run(dir, "keytool", "-exportcert", "-rfc", "-alias", "server", "-keystore", p12.toString(), "-storepass",
                "changeit", "-file", certPem.toString());
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            keys.load(in, PASSWORD);
        }
    }

    private static void run(Path dir, String tool, String... args) throws IOException, InterruptedException {
        Path bin = Path.of(System.getProperty("java.home"), "bin", tool);
        String[] cmd = new String[args.length + 1];
        cmd[0] = bin.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(tool + " failed: " + new String(out));
        }
    }

    public static synchronized TestTls get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("http-tls");
                dir.toFile().deleteOnExit();
                instance = new TestTls(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    dir.resolve("server.p12").toFile().delete();
                    dir.resolve("server.pem").toFile().delete();
                    dir.toFile().delete();
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            Certificate cert = keys.getCertificate("server");
            trust.setCertificateEntry("server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
