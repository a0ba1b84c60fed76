package io.asyncio4j.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 §5.6.7): IMF-fixdate written ({@code Sun, 06 Nov 1994 08:49:37 GMT}), and
 * all three formats read, as recipients must (IMF-fixdate, RFC 850, asctime). {@link #now} keeps
 * the current second's bytes, so a busy server formats the date once a second.
 */
public final class HttpDate {
    private HttpDate() {
    }

    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.US);

    private record Cached(long second, byte[] bytes) {
    }

    private static volatile Cached cached = new Cached(-1, new byte[0]);

    /**
     * {@return the current date as IMF-fixdate bytes, the same array throughout a second}
     * @param epochMillis the current time
     */
    public static byte[] now(long epochMillis) {
        long second = epochMillis / 1000;
        Cached c = cached;
        if (c.second != second) {
            c = new Cached(second, format(Instant.ofEpochSecond(second)).getBytes(ISO_8859_1));
            cached = c;
        }
        return c.bytes;
    }

    /**
     * {@return an instant as IMF-fixdate}
     * @param instant the instant (fractions of a second dropped)
     */
    public static String format(Instant instant) {
        return IMF.format(instant);
    }

    /**
     * Parses an HTTP date in any of the three formats.
     *
     * @param text the field value
     * @return the instant, or {@code null} if it is not a date
     */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        try {
            return ZonedDateTime.parse(t, IMF).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the obsolete formats
        }
        try {
            ZonedDateTime z = ZonedDateTime.parse(t, RFC850);
            // two-digit years: a year more than 50 years in the future is in the past (RFC 9110)
            if (z.getYear() > ZonedDateTime.now(ZoneOffset.UTC).getYear() + 50) {
                z = z.minusYears(100);
            }
            return z.toInstant();
        } catch (DateTimeParseException ignored) {
            // try asctime
        }
        try {
            return LocalDateTime.parse(t, ASCTIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
