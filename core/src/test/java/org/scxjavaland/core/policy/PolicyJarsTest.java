package org.scxjavaland.core.policy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxjavaland.core.alloc.ArenaMemory;
import org.scxjavaland.core.alloc.BuddyAllocator;
import org.scxjavaland.core.testing.PolicyJarBuilder;
import org.scxjavaland.core.wire.DispatchedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.LibC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --policy-jar}: a jar of one's own is loaded beside the built-in policies, and refused, in one line, when
 * someone other than root could change its code, when it names no policy or a broken one, or when it claims a name
 * already taken. Real jars, compiled here by javac; real files and owners (the ownership cases need root).
 */
class PolicyJarsTest {
    private static final int EUID = LibC.geteuid();
    private static final ClassLoader CLASS_PATH = PolicyProviders.class.getClassLoader();

    @TempDir
    Path tmp;
    private Path dir;

    @BeforeEach
    void dirOnlyRootMayWrite() throws IOException {
        // @TempDir's directory is 0700 under /tmp (1777: sticky, which passes): the jars go one level below it.
        dir = Files.createDirectory(tmp.resolve("jars"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @Test
    void aJarsPoliciesComeBesideTheBuiltInOnesAndRun() throws IOException {
        Path jar = fifoJar("ExampleFifoProvider", "example-fifo");
        List<PolicyProvider> all = PolicyProviders.all(PolicyProviders.withJars(List.of(jar), CLASS_PATH, EUID));
        assertEquals(List.of("deadline", "example-fifo", "fifo"), all.stream().map(PolicyProvider::name).toList());
        PolicyProvider p = PolicyProviders.find("example-fifo", all);
        assertTrue(PolicyProviders.fromPolicyJar(p));
        assertFalse(PolicyProviders.fromPolicyJar(PolicyProviders.find("fifo", all)));
        assertEquals(jar.toRealPath(), PolicyProviders.origin(p));

        // and it decides: a task in, the same task out, through the policy the jar's provider made
        PolicyOptions o = PolicyOptions.of(20_000_000L, 1_000_000L);
        long heap = p.arenaHeapBytes(o);
        try (Arena a = Arena.ofConfined()) {
            SchedulingPolicy policy = p.create(o, new BuddyAllocator(
                    ArenaMemory.over(a.allocate(BuddyAllocator.arenaBytesFor(heap), 4096)), heap));
            QueuedTaskRecords rec = new QueuedTaskRecords(a.allocate(QueuedTaskLayout.SIZE, 8));
            assertTrue(policy.enqueue(rec.task(42, 1, 100, 0, 0, 0, 7), 0));
            DispatchedTask out = new DispatchedTask();
            assertTrue(policy.peek(out, new CpuView() {
                public int nrCpus() { return 2; }
                public boolean isIdle(int cpu) { return false; }
                public long vtimeNow() { return 0; }
            }, 0));
            assertEquals(42, out.pid);
            assertEquals(7, out.enqCnt);
        }
    }

    @Test
    void aJarOthersCanWriteIsRefused() throws IOException {
        Path jar = fifoJar("P", "p");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertRefused(jar, "--policy-jar " + jar + ": " + jar + " is writable by everyone (mode 0666): the policy runs "
                + "in the scheduler as root, so no one but its owner may change it (chmod go-w " + jar + ")");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertRefused(jar, dir + " is writable by its group (mode 0775)");
    }

    @Test
    void aStickyDirectoryOthersCanWriteIsAcceptedAsTmpIs() throws IOException {
        Path jar = fifoJar("P", "p");
        Files.setAttribute(dir, "unix:mode", 01777);
        assertEquals("p", PolicyProviders.find("p", PolicyProviders.all(
                PolicyProviders.withJars(List.of(jar), CLASS_PATH, EUID))).name());
    }

    @Test
    void aJarOrDirectoryOrLinkOfAnotherUserIsRefused() throws IOException {
        assumeTrue(EUID == 0, "changing an owner needs root");
        UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Path jar = fifoJar("P", "p");
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), jar);
        Files.getFileAttributeView(link, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(nobody);
        int nobodyUid = (Integer) Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        assertTrue(nobodyUid != 0);
        assertRefused(link, link + " belongs to uid " + nobodyUid + ": the policy runs in the scheduler as root, so the "
                + "jar and every directory above it must belong to root");
        Files.setOwner(jar, nobody);
        assertRefused(jar, jar + " belongs to uid " + nobodyUid);
        Files.setOwner(jar, Files.getOwner(tmp));
        Files.setOwner(dir, nobody);
        assertRefused(jar, dir + " belongs to uid " + nobodyUid);
    }

    @Test
    void whatIsNotAPolicyJarIsRefusedInOneLine() throws IOException {
        assertRefused(dir.resolve("absent.jar"), "--policy-jar " + dir.resolve("absent.jar") + ": no such file");
        assertRefused(dir, "--policy-jar " + dir + ": not a regular file");
        Path text = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        assertRefused(text, "--policy-jar " + text + ": not a jar (");
        Path noServices = PolicyJarBuilder.build(tmp.resolve("w1"), dir.resolve("none.jar"),
                Map.of("P", PolicyJarBuilder.fifoProviderSource("P", "p")), null);
        assertRefused(noServices, "--policy-jar " + noServices + ": it names no policy (no "
                + PolicyJarBuilder.SERVICES + "; docs/writing-a-policy.md)");
        Path missing = PolicyJarBuilder.build(tmp.resolve("w2"), dir.resolve("missing.jar"),
                Map.of("P", PolicyJarBuilder.fifoProviderSource("P", "p")), "example.policy.Absent\n");
        assertRefused(missing, "cannot load a policy: org.scxjavaland.core.policy.PolicyProvider: Provider "
                + "example.policy.Absent not found");
        String throwing = PolicyJarBuilder.fifoProviderSource("Thrower", "thrower").replace(
                "    @Override\n    public String name() {",
                "    public Thrower() { throw new IllegalStateException(\"no\\nconfig\"); }\n\n"
                        + "    @Override\n    public String name() {");
        Path thrower = PolicyJarBuilder.build(tmp.resolve("w3"), dir.resolve("thrower.jar"), Map.of("Thrower", throwing),
                "example.policy.Thrower\n");
        assertRefused(thrower, "cannot load a policy: org.scxjavaland.core.policy.PolicyProvider: Provider "
                + "example.policy.Thrower could not be instantiated (java.lang.IllegalStateException: no config)");
    }

    @Test
    void aNameTakenOrMalformedIsRefused() throws IOException {
        Path fifo = fifoJar("Fifo2", "fifo");
        assertRefused(fifo, "policy 'fifo' is defined twice: by ");
        Path spaced = fifoJar("Spaced", "My Policy");
        assertRefused(spaced, "policy name 'My Policy' of example.policy.Spaced (" + spaced.toRealPath()
                + "): use lower case letters, digits and '-'");
    }

    private Path fifoJar(String className, String policyName) throws IOException {
        return PolicyJarBuilder.build(tmp.resolve("work-" + className), dir.resolve(className + ".jar"),
                Map.of(className, PolicyJarBuilder.fifoProviderSource(className, policyName)),
                "example.policy." + className + "\n");
    }

    private static void assertRefused(Path jar, String messageStart) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PolicyProviders.all(PolicyProviders.withJars(List.of(jar), CLASS_PATH, EUID)));
        assertTrue(e.getMessage().contains(messageStart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
