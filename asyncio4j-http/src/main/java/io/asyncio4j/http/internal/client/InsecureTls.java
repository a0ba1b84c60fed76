package io.asyncio4j.http.internal.client;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context of {@code RequestOptions.withInsecureNoTlsVerification()}: it trusts every
 * certificate and checks no host name (an {@link X509ExtendedTrustManager} that accepts all, so the
 * JDK's endpoint identification, done inside the trust manager, does not run either).
 */
public final class InsecureTls {
    private InsecureTls() {
    }

    private static volatile SSLContext context;

    /** {@return the shared context that verifies nothing} */
    public static SSLContext context() {
        SSLContext c = context;
        if (c == null) {
            try {
                c = SSLContext.getInstance("TLS");
                c.init(null, new TrustManager[] {new TrustAll()}, null);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a TLS context", e);
            }
            context = c;
        }
        return c;
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
