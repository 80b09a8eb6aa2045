package org.scxjavaland.daemon.stats;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    @Test
    void roundTripsWhatTheProtocolCarries() {
        Object v = Json.parse(" {\"req\":\"stats\",\"args\":{\"target\":\"top\"},\"n\":[1,-2.5e3,true,null],"
                + "\"s\":\"a\\\"b\\u0041\\n\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("stats", m.get("req"));
        assertEquals(Map.of("target", "top"), m.get("args"));
        assertEquals(java.util.Arrays.asList(1L, -2500.0, true, null), m.get("n"));
        assertEquals("a\"bA\n", m.get("s"));
        assertEquals("{\"errno\":0,\"x\":[1,\"t\\\"\"]}", Json.write(new java.util.LinkedHashMap<>(
                Map.of("errno", 0))).replace("}", ",\"x\":[1,\"t\\\"\"]}"));
        assertEquals("[1,\"t\\\"\"]", Json.write(List.of(1, "t\"")));
    }

    @Test
    void malformedTextIsRefusedWithThePosition() {
        for (String bad : new String[]{"", "{", "{\"a\"}", "[1,]", "{\"a\":1}x", "\"\\q\"", "tru"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("malformed JSON at "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
    }
}
