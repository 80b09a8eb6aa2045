package org.scxjavaland.core.transport;

import org.junit.jupiter.api.Test;
import org.scxjavaland.bpf.BpfMapLookup;
import org.scxjavaland.bpf.BpfObjectSetup;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The selection rules of --transport, over providers whose availability the test sets. */
class TransportsTest {
    /** A provider whose probe answers what the test says; only the selection logic is under test here. */
    static final class Probed implements TransportProvider {
        final String name;
        final int preference;
        final Availability availability;
        final RuntimeException failure;
        final AtomicInteger probes = new AtomicInteger();

        Probed(String name, int preference, Availability availability) {
            this(name, preference, availability, null);
        }

        Probed(String name, int preference, Availability availability, RuntimeException failure) {
            this.name = name;
            this.preference = preference;
            this.availability = availability;
            this.failure = failure;
        }

        @Override public String name() { return name; }
        @Override public int wireId() { return preference; }
        @Override public int preference() { return preference; }

        @Override
        public Availability availability() {
            probes.incrementAndGet();
            if (failure != null) throw failure;
            return availability;
        }

        @Override public void configure(BpfObjectSetup setup, TransportOptions options) { throw new UnsupportedOperationException(); }
        @Override public Transport open(BpfMapLookup maps, TransportOptions options) { throw new UnsupportedOperationException(); }
    }

    private final Probed ring = new Probed("ringbuf", 100, Availability.yes());
    private final Probed fifo = new Probed("fifo", 10, Availability.yes());
    private final Probed ringDown = new Probed("ringbuf", 100,
            Availability.no("bpf(BPF_MAP_CREATE, USER_RINGBUF) failed: EINVAL (Invalid argument)"));
    private final Probed fifoDown = new Probed("fifo", 10, Availability.no("bpf(BPF_MAP_CREATE, QUEUE) failed: EPERM"));

    @Test
    void autoPicksTheMostPreferredAvailableWhateverTheListOrder() {
        Transports.Choice c = Transports.choose("auto", List.of(fifo, ring), null);
        assertSame(ring, c.provider());
        assertEquals("auto: preferred, available", c.reason());
        assertEquals(0, fifo.probes.get(), "a less preferred transport is not probed once one is found");
    }

    @Test
    void autoFallsBackAndSaysWhyInOneLine() {
        Transports.Choice c = Transports.choose("auto", List.of(ringDown, fifo), null);
        assertSame(fifo, c.provider());
        assertEquals("auto: fallback, ringbuf unavailable: bpf(BPF_MAP_CREATE, USER_RINGBUF) failed: EINVAL (Invalid argument)",
                c.reason());
    }

    @Test
    void aMultiLineOrThrowingProbeStillGivesOneLine() {
        Probed multiLine = new Probed("ringbuf", 100, Availability.no("first line\n  second line\n"));
        Transports.Choice c = Transports.choose("auto", List.of(multiLine, fifo), null);
        assertEquals("auto: fallback, ringbuf unavailable: first line / second line", c.reason());

        Probed throwing = new Probed("ringbuf", 100, null, new IllegalStateException("libc has no syscall"));
        c = Transports.choose("auto", List.of(throwing, fifo), null);
        assertSame(fifo, c.provider());
        assertEquals("auto: fallback, ringbuf unavailable: IllegalStateException: libc has no syscall", c.reason());
        assertFalse(c.reason().contains("\n"));
    }

    @Test
    void autoWithNothingAvailableListsEveryCause() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transports.choose("auto", List.of(ringDown, fifoDown), null));
        assertEquals("no transport is available here: ringbuf unavailable: bpf(BPF_MAP_CREATE, USER_RINGBUF) failed: "
                + "EINVAL (Invalid argument); fifo unavailable: bpf(BPF_MAP_CREATE, QUEUE) failed: EPERM", e.getMessage());
    }

    @Test
    void forcingMakesAutoTakeTheFallbackAndNamesTheSwitch() {
        Transports.Choice c = Transports.choose("auto", List.of(ring, fifo),
                new Transports.Force("fifo", Transports.FORCE_ENV));
        assertSame(fifo, c.provider());
        assertEquals("auto: forced by SCX_JAVALAND_FORCE_TRANSPORT=fifo", c.reason());
        assertEquals(0, ring.probes.get(), "a forced-off transport is not probed");
    }

    @Test
    void forcingAnUnknownOrUnavailableTransportIsAClearError() {
        IllegalArgumentException e = assertThrows(Transports.UnknownTransportException.class, () -> Transports.choose("auto",
                List.of(ring, fifo), new Transports.Force("fido", "-D" + Transports.FORCE_PROPERTY)));
        assertEquals("unknown transport 'fido' in -Dscx_javaland.transport.force (choose from: ringbuf, fifo)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Transports.choose("auto",
                List.of(ring, fifoDown), new Transports.Force("fifo", Transports.FORCE_ENV)));
        assertEquals("transport 'fifo' forced by SCX_JAVALAND_FORCE_TRANSPORT is not available here: "
                + "bpf(BPF_MAP_CREATE, QUEUE) failed: EPERM", e.getMessage());
    }

    @Test
    void aNamedTransportIgnoresTheForceAndMustBeAvailable() {
        Transports.Choice c = Transports.choose("ringbuf", List.of(ring, fifo),
                new Transports.Force("fifo", Transports.FORCE_ENV));
        assertSame(ring, c.provider());
        assertEquals("requested (--transport=ringbuf)", c.reason());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transports.choose("ringbuf", List.of(ringDown, fifo), null));
        assertTrue(e.getMessage().startsWith("transport 'ringbuf' is not available here: bpf(BPF_MAP_CREATE"),
                e.getMessage());
        assertFalse(e instanceof Transports.UnknownTransportException, "known but unavailable");
        e = assertThrows(Transports.UnknownTransportException.class,
                () -> Transports.choose("udp", List.of(ring, fifo), null));
        assertEquals("unknown transport 'udp' (choose from: auto, ringbuf, fifo)", e.getMessage());
    }

    @Test
    void requireKnownAcceptsAutoAndRefusesANameNoProviderHas() {
        Transports.requireKnown(Transports.AUTO);
        Transports.UnknownTransportException e = assertThrows(Transports.UnknownTransportException.class,
                () -> Transports.requireKnown("udp"));
        assertTrue(e.getMessage().startsWith("unknown transport 'udp' (choose from: auto"), e.getMessage());
    }

    @Test
    void noProviderAtAllIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Transports.choose("auto", List.of(), null));
        assertTrue(e.getMessage().startsWith("no transport on the class path"));
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironment() {
        String old = System.getProperty(Transports.FORCE_PROPERTY);
        try {
            System.setProperty(Transports.FORCE_PROPERTY, " fifo ");
            assertEquals(new Transports.Force("fifo", "-D" + Transports.FORCE_PROPERTY), Transports.forced());
            System.setProperty(Transports.FORCE_PROPERTY, " ");
            String env = System.getenv(Transports.FORCE_ENV);
            Transports.Force f = Transports.forced();
            if (env == null || env.isBlank()) {
                assertEquals(null, f);
            } else {
                assertEquals(new Transports.Force(env.trim(), Transports.FORCE_ENV), f);
            }
        } finally {
            if (old == null) System.clearProperty(Transports.FORCE_PROPERTY);
            else System.setProperty(Transports.FORCE_PROPERTY, old);
        }
    }
}
