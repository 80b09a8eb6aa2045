package org.scxjavaland.core.policy;

import org.junit.jupiter.api.Test;
import org.scxjavaland.core.policy.fifo.FifoPolicyProvider;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyProvidersTest {
    @Test
    void theDefaultComesFirstAndEveryPolicyIsRegistered() {
        assertEquals(List.of("deadline", "fifo"), PolicyProviders.names());
        assertEquals(PolicyProviders.DEFAULT, PolicyProviders.names().get(0));
        assertInstanceOf(DeadlinePolicyProvider.class, PolicyProviders.find("deadline"));
        assertInstanceOf(FifoPolicyProvider.class, PolicyProviders.find("fifo"));
        for (PolicyProvider p : PolicyProviders.all()) {
            assertTrue(p.name().matches("[a-z0-9-]+"), p.name());
            assertTrue(!p.description().isBlank() && !p.description().contains("\n"), p.description());
            long heap = p.arenaHeapBytes(PolicyOptions.of(20_000_000L, 1_000_000L));
            assertEquals(1, Long.bitCount(heap), p.name() + ": " + heap + " is not a power of two");
        }
    }

    @Test
    void anUnknownNameIsOneLineListingTheKnownOnes() {
        var e = assertThrows(PolicyProviders.UnknownPolicyException.class, () -> PolicyProviders.find("lottery"));
        assertEquals("unknown policy 'lottery' (choose from: deadline, fifo)", e.getMessage());
        e = assertThrows(PolicyProviders.UnknownPolicyException.class, () -> PolicyProviders.find("help"));
        assertEquals("policies (choose from: deadline, fifo)", e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e, "a usage error");
    }
}
