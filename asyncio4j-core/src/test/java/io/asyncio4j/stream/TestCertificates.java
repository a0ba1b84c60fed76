package io.asyncio4j.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests, made once per JVM with the JDK's own {@code keytool} (so nothing
 * is checked in that could expire): a test CA, a server certificate it signs for
 * {@code CN=localhost} with the names {@code dns:localhost} and {@code ip:127.0.0.1}, and a
 * self-signed certificate for the same names that nobody trusts. The files live in a temporary
 * directory removed when the JVM exits; PEM copies serve OpenSSL.
 */
final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static volatile TestCertificates instance;

    private final Path dir;
    private final KeyStore serverKeys;
    private final KeyStore untrustedKeys;
    private final KeyStore trust;
    private final X509Certificate ca;

    private TestCertificates(Path dir, KeyStore all, KeyStore rogue) throws GeneralSecurityException, IOException {
        this.dir = dir;
        this.ca = (X509Certificate) all.getCertificate("ca");
        this.serverKeys = onlyKeyEntry(all, "server");
        this.untrustedKeys = onlyKeyEntry(rogue, "rogue");
        this.trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        Certificate[] chain = all.getCertificateChain("server");
        writePem(dir.resolve("ca.pem"), "CERTIFICATE", ca.getEncoded());
        List<byte[]> certs = new ArrayList<>();
        for (Certificate c : chain) {
            certs.add(c.getEncoded());
        }
        writePem(dir.resolve("server-chain.pem"), "CERTIFICATE", certs.toArray(byte[][]::new));
        writePem(dir.resolve("server-key.pem"), "PRIVATE KEY",
                ((PrivateKey) all.getKey("server", PASSWORD)).getEncoded());
    }

    /** {@return the certificates, generated on first use} */
    static TestCertificates get() {
        TestCertificates c = instance;
        if (c == null) {
            synchronized (TestCertificates.class) {
                c = instance;
                if (c == null) {
                    try {
                        c = instance = generate();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (GeneralSecurityException | InterruptedException e) {
                        throw new IllegalStateException("cannot generate test certificates", e);
                    }
                }
            }
        }
        return c;
    }

    private static TestCertificates generate() throws IOException, GeneralSecurityException, InterruptedException {
        Path dir = Files.createTempDirectory("asyncio4j-tls");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        Path all = dir.resolve("all.p12");
        Path rogue = dir.resolve("rogue.p12");
        // The untrusted certificate is independent: make it while the CA and server are made.
        Process rogueKeytool = keytool(dir, "-genkeypair", "-keystore", rogue.toString(), "-alias", "rogue",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth");
        finish(keytool(dir, "-genkeypair", "-keystore", all.toString(), "-alias", "ca",
                "-dname", "CN=asyncio4j test CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign"), dir);
        finish(keytool(dir, "-genkeypair", "-keystore", all.toString(), "-alias", "server", "-signer", "ca",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth"), dir);
        finish(rogueKeytool, dir);
        return new TestCertificates(dir, load(all), load(rogue));
    }

    private static Process keytool(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // keytool runs for well under a second: a quick start matters more than peak speed
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2"));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    private static void finish(Process p, Path dir) throws IOException, InterruptedException {
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), US_ASCII);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool did not finish in " + dir);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed (" + p.exitValue() + "): " + out);
        }
    }

    private static KeyStore load(Path p) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** A key store with one key entry, so that a key manager has no other key to choose. */
    private static KeyStore onlyKeyEntry(KeyStore from, String alias) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, from.getKey(alias, PASSWORD), PASSWORD, from.getCertificateChain(alias));
        return ks;
    }

    private static void writePem(Path file, String type, byte[]... ders) throws IOException {
        StringBuilder sb = new StringBuilder();
        Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII));
        for (byte[] der : ders) {
            sb.append("-----BEGIN ").append(type).append("-----\n").append(enc.encodeToString(der))
                    .append("\n-----END ").append(type).append("-----\n");
        }
        Files.writeString(file, sb.toString(), US_ASCII);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it eventually
        }
    }

    private static SSLContext context(String protocol, KeyStore keys, KeyStore trusted) {
        try {
            SSLContext ctx = SSLContext.getInstance(protocol);
            KeyManagerFactory kmf = null;
            if (keys != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD);
            }
            TrustManagerFactory tmf = null;
            if (trusted != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
            }
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return a server context with the CA-signed certificate for localhost and 127.0.0.1} */
    SSLContext serverContext() {
        return context("TLS", serverKeys, null);
    }

    /** {@return a server context with a self-signed certificate that no test client trusts} */
    SSLContext untrustedServerContext() {
        return context("TLS", untrustedKeys, null);
    }

    /** {@return a client context trusting only the test CA} */
    SSLContext clientContext() {
        return clientContext("TLS");
    }

    /**
     * {@return a client context trusting only the test CA, for a protocol version}
     * @param protocol the context's protocol, as {@code "TLSv1.2"} (which caps the client at 1.2)
     */
    SSLContext clientContext(String protocol) {
        return context(protocol, null, trust);
    }

    /** {@return the test CA's certificate} */
    X509Certificate ca() {
        return ca;
    }

    /** {@return the CA certificate as a PEM file (OpenSSL's -CAfile)} */
    Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** {@return the server's certificate chain as a PEM file (OpenSSL's -cert)} */
    Path serverChainPem() {
        return dir.resolve("server-chain.pem");
    }

    /** {@return the server's private key as an unencrypted PKCS#8 PEM file (OpenSSL's -key)} */
    Path serverKeyPem() {
        return dir.resolve("server-key.pem");
    }
}
