package io.asyncio4j.http.internal.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** The long fuzzing run of the WebSocket frame decoder (mvn -Pstress): two million inputs. */
class FrameFuzzStressTest {
    @FuzzTest(maxExecutions = 2_000_000, maxDuration = "10m")
    void decoderOnlyDecodesOrFailsWithACloseCode(byte[] input) {
        FrameFuzzing.check(input);
    }
}
