package io.asyncio4j.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Field names that arrive in most requests, kept as shared strings: a received name whose bytes
 * equal one of them (in its usual capitalisation or in lower case) costs no allocation. Other
 * names become new strings with the case they arrived in.
 */
public final class HeaderNames {
    private HeaderNames() {
    }

    private static final String[] COMMON = {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "User-Agent", "Accept",
        "Accept-Encoding", "Accept-Language", "Accept-Charset", "Cookie", "Expect", "Upgrade", "Referer", "Origin",
        "Authorization", "Cache-Control", "Pragma", "If-None-Match", "If-Modified-Since", "If-Match",
        "If-Unmodified-Since", "If-Range", "Range", "TE", "Keep-Alive", "X-Forwarded-For", "X-Forwarded-Proto",
        "X-Forwarded-Host", "X-Real-IP", "X-Request-ID", "Forwarded", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest",
        "DNT", "Date", "Server", "Content-Encoding", "Content-Range", "Content-Disposition", "ETag", "Last-Modified",
        "Location", "Set-Cookie", "Vary", "Via", "Trailer", "Allow", "Accept-Ranges", "Age", "Expires",
        "Access-Control-Request-Method", "Access-Control-Request-Headers", "Access-Control-Allow-Origin",
        "Priority", "Upgrade-Insecure-Requests", "WWW-Authenticate", "Retry-After", "Content-Language",
    };

    /** By length: the common names (each in its usual case and in lower case). */
    private static final byte[][][] BYTES;
    private static final String[][] STRINGS;

    static {
        int max = 0;
        for (String n : COMMON) {
            max = Math.max(max, n.length());
        }
        List<List<String>> byLength = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            byLength.add(new ArrayList<>());
        }
        for (String n : COMMON) {
            byLength.get(n.length()).add(n);
            String lower = n.toLowerCase(Locale.ROOT);
            if (!lower.equals(n)) {
                byLength.get(n.length()).add(lower);
            }
        }
        BYTES = new byte[max + 1][][];
        STRINGS = new String[max + 1][];
        for (int i = 0; i <= max; i++) {
            List<String> l = byLength.get(i);
            BYTES[i] = new byte[l.size()][];
            STRINGS[i] = new String[l.size()];
            for (int j = 0; j < l.size(); j++) {
                STRINGS[i][j] = l.get(j);
                BYTES[i][j] = l.get(j).getBytes(ISO_8859_1);
            }
        }
    }

    /** {@return the name in a[s, e) as a string, shared when it is a common one} */
    static String intern(byte[] a, int s, int e) {
        int n = e - s;
        if (n < BYTES.length) {
            byte[][] candidates = BYTES[n];
            outer:
            for (int c = 0; c < candidates.length; c++) {
                byte[] k = candidates[c];
                for (int i = 0; i < n; i++) {
                    if (k[i] != a[s + i]) {
                        continue outer;
                    }
                }
                return STRINGS[n][c];
            }
        }
        return new String(a, s, n, ISO_8859_1);
    }

    /** {@return whether a[s, s + lower.length()) equals {@code lower} ignoring ASCII case} */
    static boolean equalsLower(byte[] a, int s, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int b = a[s + i];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@return whether a comma-separated list holds a token, ignoring case and optional whitespace}
     * @param list the field value
     * @param token the token
     */
    public static boolean listContains(String list, String token) {
        int n = list.length();
        int i = 0;
        while (true) {
            int comma = list.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int s = i;
            int e = end;
            while (s < e && (list.charAt(s) == ' ' || list.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (list.charAt(e - 1) == ' ' || list.charAt(e - 1) == '\t')) {
                e--;
            }
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            i = comma + 1;
        }
    }
}
