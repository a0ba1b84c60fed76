package io.asyncio4j.http.internal.h1;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The long fuzzing run of the request parser (mvn -Pstress), second half: five million inputs,
 * split unevenly ({@link ParserFuzzing#checkUnevenPieces}); see {@link ParserFuzzStressTest}.
 */
class ParserUnevenFuzzStressTest {
    @DictionaryEntries({"HTTP/1.1", "HTTP/1.0", "\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A", "Host: ", "Content-Length: ",
        "Transfer-Encoding: ", "chunked", "Connection: ", "close", "keep-alive", "Expect: ", "100-continue",
        "Upgrade: ", ";ext=", "0\\x0D\\x0A\\x0D\\x0A", "GET ", "POST ", "OPTIONS * "})
    @FuzzTest(maxExecutions = 5_000_000, maxDuration = "15m")
    void unevenPiecesChangeNothing(byte[] input) {
        ParserFuzzing.checkUnevenPieces(input);
    }
}
