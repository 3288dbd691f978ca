package dev.cairn.metadata;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The identity table: key order, member rows, compare-and-set changes, and rows surviving a reopen. */
class IdentityTableTest {
    @TempDir
    Path dir;
    RocksMetadataStore store;

    @BeforeEach
    void open() {
        store = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofMinutes(5));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] doc(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static IdentityKey user(String name) {
        return IdentityKey.of(IdentityKey.Kind.USER, name);
    }

    @Test
    void keysRoundTripInOrderWithMembersAfterTheirUser() {
        IdentityKey alice = user("alice");
        IdentityKey key = IdentityKey.of(IdentityKey.Kind.ACCESS_KEY, "alice", "AKIA1");
        IdentityKey keyOfAl = IdentityKey.of(IdentityKey.Kind.ACCESS_KEY, "al", "AKIA2");
        IdentityKey policy = IdentityKey.of(IdentityKey.Kind.MANAGED_POLICY, "ReadOnly");
        store.writeIdentities(new IdentityChange(List.of(new IdentityRow(alice, doc("{\"a\":1}")),
                new IdentityRow(key, doc("k1")), new IdentityRow(keyOfAl, doc("k2")), new IdentityRow(policy, doc("p"))),
                List.of(), List.of(IdentityChange.Expected.absent(alice))));
        List<IdentityRow> rows = store.identityRows();
        assertEquals(List.of(keyOfAl, key, policy, alice), rows.stream().map(IdentityRow::key).toList());
        assertEquals("k1", new String(rows.get(1).document(), StandardCharsets.UTF_8));
        store.close();
        store = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofMinutes(5));
        assertEquals(rows, store.identityRows());
    }

    @Test
    void aChangeWhoseExpectationFailsWritesNothing() {
        IdentityKey bob = user("bob");
        store.writeIdentities(new IdentityChange(List.of(new IdentityRow(bob, doc("v1"))), List.of(), List.of()));
        IdentityKey key = IdentityKey.of(IdentityKey.Kind.ACCESS_KEY, "bob", "AKIB");
        IdentityChange stale = new IdentityChange(List.of(new IdentityRow(bob, doc("v2")), new IdentityRow(key, doc("k"))),
                List.of(), List.of(new IdentityChange.Expected(bob, doc("v0"))));
        assertThrows(MetadataException.PreconditionFailed.class, () -> store.writeIdentities(stale));
        assertThrows(MetadataException.PreconditionFailed.class, () -> store.writeIdentities(new IdentityChange(
                List.of(new IdentityRow(bob, doc("again"))), List.of(), List.of(IdentityChange.Expected.absent(bob)))));
        assertEquals(1, store.identityRows().size());
        store.writeIdentities(new IdentityChange(List.of(new IdentityRow(bob, doc("v2")), new IdentityRow(key, doc("k"))),
                List.of(), List.of(new IdentityChange.Expected(bob, doc("v1")))));
        assertEquals(2, store.identityRows().size());
        store.writeIdentities(new IdentityChange(List.of(), List.of(bob, key), List.of(new IdentityChange.Expected(bob,
                doc("v2")))));
        assertEquals(List.of(), store.identityRows());
    }

    @Test
    void memberRowsNeedAMember() {
        assertThrows(IllegalArgumentException.class, () -> IdentityKey.of(IdentityKey.Kind.ACCESS_KEY, "x"));
        assertThrows(IllegalArgumentException.class, () -> IdentityKey.of(IdentityKey.Kind.USER, "x", "y"));
    }
}
