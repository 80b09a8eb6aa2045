package org.scxjavaland.core.probe;

/**
 * A strict JSON well-formedness check (RFC 8259 grammar, no extensions), so that tests of hand-written JSON do
 * not need a JSON library. Throws IllegalArgumentException naming the offset of the first error.
 */
public final class JsonCheck {
    private final String s;
    private int i;

    private JsonCheck(String s) {
        this.s = s;
    }

    public static void wellFormed(String json) {
        JsonCheck c = new JsonCheck(json);
        c.ws();
        c.value();
        c.ws();
        if (c.i != json.length()) throw c.error("trailing characters");
    }

    private void value() {
        if (i >= s.length()) throw error("value expected");
        char ch = s.charAt(i);
        switch (ch) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object() {
        i++;
        ws();
        if (peek() == '}') { i++; return; }
        while (true) {
            ws();
            if (peek() != '"') throw error("key expected");
            string();
            ws();
            expect(':');
            ws();
            value();
            ws();
            if (peek() == ',') { i++; continue; }
            expect('}');
            return;
        }
    }

    private void array() {
        i++;
        ws();
        if (peek() == ']') { i++; return; }
        while (true) {
            ws();
            value();
            ws();
            if (peek() == ',') { i++; continue; }
            expect(']');
            return;
        }
    }

    private void string() {
        i++;
        while (i < s.length()) {
            char ch = s.charAt(i++);
            if (ch == '"') return;
            if (ch < 0x20) throw error("control character in string");
            if (ch == '\\') {
                char e = s.charAt(i++);
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(s.charAt(i++), 16) < 0) throw error("bad \\u escape");
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw error("bad escape \\" + e);
                }
            }
        }
        throw error("unterminated string");
    }

    private void number() {
        int start = i;
        if (peek() == '-') i++;
        while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) i++;
        String n = s.substring(start, i);
        if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) throw error("bad number '" + n + "'");
    }

    private void literal(String word) {
        if (!s.startsWith(word, i)) throw error(word + " expected");
        i += word.length();
    }

    private void expect(char ch) {
        if (peek() != ch) throw error("'" + ch + "' expected");
        i++;
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + i + " of: " + s);
    }
}
