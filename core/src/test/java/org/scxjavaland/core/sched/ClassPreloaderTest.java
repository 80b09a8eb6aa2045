package org.scxjavaland.core.sched;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.policy.PolicyOptions;
import org.scxjavaland.core.policy.PolicyProvider;
import org.scxjavaland.core.policy.PolicyProviders;
import org.scxjavaland.core.testing.PolicyJarBuilder;
import org.scxjavaland.sys.LibC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassPreloaderTest {
    /**
     * The runner names the policy's class among the anchors: for a policy from a --policy-jar that is the jar's, whose
     * classes are then loaded before attaching like the daemon's own; and a jar is read once however many anchors
     * name it.
     */
    @Test
    void aPolicyJarsClassesAreLoadedOnceThroughItsPolicysClass(@TempDir Path tmp) throws IOException {
        Path jar = PolicyJarBuilder.build(tmp.resolve("w"), tmp.resolve("p.jar"),
                Map.of("P", PolicyJarBuilder.fifoProviderSource("P", "p")), "example.policy.P\n");
        PolicyProvider provider = PolicyProviders.find("p", PolicyProviders.allWith(List.of(jar), LibC.geteuid()));
        PolicyOptions o = PolicyOptions.of(20_000_000L, 1_000_000L);
        try (Arena a = Arena.ofConfined()) {
            long heap = provider.arenaHeapBytes(o);
            var arena = new BuddyAllocator(ArenaMemory.over(
                    a.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap);
            Class<?> policyClass = provider.create(o, arena).getClass();
            assertEquals("example.policy.P$Policy", policyClass.getName());
            assertEquals(2, ClassPreloader.preload(policyClass), "P and P$Policy");
            assertEquals(2, ClassPreloader.preload(policyClass, provider.getClass()), "the jar read once");
        }
    }
}
