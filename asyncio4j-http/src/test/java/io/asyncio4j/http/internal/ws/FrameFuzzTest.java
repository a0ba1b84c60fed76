package io.asyncio4j.http.internal.ws;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the WebSocket frame decoder briefly, coverage-guided (Jazzer); the oracle is
 * {@link FrameFuzzing#check}. Without {@code JAZZER_FUZZ} only past findings run.
 */
class FrameFuzzTest {
    /** Header bytes that steer the fuzzer: FIN+opcodes, masked lengths, 16- and 64-bit lengths, close codes. */
    @DictionaryEntries({"\\x81\\x85", "\\x82\\xFE", "\\x01\\x80", "\\x80\\x80", "\\x88\\x82\\x00\\x00\\x00\\x00\\x03\\xE8",
        "\\x89\\x80", "\\x8A\\x00", "\\xC1\\x80", "\\x7E", "\\x7F", "\\x00\\x00\\xFF\\xFF", "\\xCE\\xBA", "\\xED\\xA0\\x80",
        "\\xF4\\x90\\x80\\x80"})
    @FuzzTest(maxExecutions = 200_000)
    void decoderOnlyDecodesOrFailsWithACloseCode(byte[] input) {
        FrameFuzzing.check(input);
    }
}
