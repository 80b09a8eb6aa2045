package org.scxjavaland.daemon;

/** Daemon log lines go to stderr, so that stdout carries only stats and the summary (easy to parse). */
final class Log {
    private Log() {
    }

    static void info(String line) {
        System.err.println("scx_javaland: " + line);
        System.err.flush();
    }
}
