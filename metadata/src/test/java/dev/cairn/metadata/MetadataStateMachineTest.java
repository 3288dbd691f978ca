package dev.cairn.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/**
 * Acceptance 1 of issue 14: the same commands applied to two fresh stores give byte-identical
 * RocksDB contents. Store A applies the script one command per write; store B applies the
 * commands after a round trip through {@link CommandCodec}, in groups of random sizes (as group
 * commit does), with its clock a day ahead. Every column family is compared key by key after
 * every group, so intermediate states (uploads, parts, marks) are compared too.
 */
class MetadataStateMachineTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    /** Every row of every column family, as "cf key=value" lines in key order. */
    static List<String> dump(RocksMetadataStore store) throws Exception {
        RocksHandles h = store.handles();
        List<String> out = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (String cf : MetadataSchema.COLUMN_FAMILIES) {
            try (RocksIterator it = h.db.newIterator(h.handle(cf))) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    out.add(cf + " " + hex.formatHex(it.key()) + "=" + hex.formatHex(it.value()));
                }
                it.status();
            }
        }
        return out;
    }

    /** Fails naming the first row that differs, not the whole dump. */
    static void assertSameRows(List<String> expected, List<String> actual, String where) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), where + ": row " + i);
        }
        assertEquals(expected.size(), actual.size(), where + ": row count");
    }

    @Test
    void theSameCommandsGiveByteIdenticalStores() throws Exception {
        MutableClock clockA = new MutableClock(CommandScript.T);
        MutableClock clockB = new MutableClock(CommandScript.T);
        List<MetaCommand<?>> script = CommandScript.build(42).commands;
        try (RocksMetadataStore a = RocksMetadataStore.open(dirA, clockA, Duration.ofMinutes(5));
             RocksMetadataStore b = RocksMetadataStore.open(dirB, clockB, Duration.ofMinutes(5))) {
            clockB.advance(Duration.ofDays(1)); // apply reads no clock: this must not matter

            List<MetaResult> resultsA = new ArrayList<>();
            List<MetaResult> resultsB = new ArrayList<>();
            Set<String> everFilled = new java.util.TreeSet<>();
            Random sizes = new Random(7);
            List<String> rowsA = List.of();
            for (int i = 0; i < script.size(); ) {
                int n = Math.min(1 + sizes.nextInt(8), script.size() - i);
                List<MetaCommand<?>> group = new ArrayList<>();
                for (MetaCommand<?> c : script.subList(i, i + n)) {
                    resultsA.add(a.stateMachine().apply(c));
                    group.add(CommandCodec.decode(CommandCodec.encode(c)));
                }
                resultsB.addAll(b.stateMachine().apply(group));
                i += n;
                rowsA = dump(a);
                assertSameRows(rowsA, dump(b), "after command " + i);
                rowsA.forEach(r -> everFilled.add(r.substring(0, r.indexOf(' '))));
            }
            for (int i = 0; i < script.size(); i++) {
                assertEquals(HexFormat.of().formatHex(ResultCodec.encode(resultsA.get(i))),
                        HexFormat.of().formatHex(ResultCodec.encode(resultsB.get(i))), "result of " + script.get(i));
            }
            assertEquals(a.stats(), b.stats());
            assertEquals(Set.copyOf(a.bucketUsage()), Set.copyOf(b.bucketUsage()));

            // the script covers every command type and every rejection, and leaves rows in every table it touches
            assertEquals(EnumSet.allOf(MetaCommand.Type.class),
                    script.stream().map(MetaCommand::type).collect(Collectors.toCollection(
                            () -> EnumSet.noneOf(MetaCommand.Type.class))));
            assertEquals(EnumSet.allOf(MetaResult.Rejected.Reason.class), resultsA.stream()
                    .filter(r -> r instanceof MetaResult.Rejected).map(r -> ((MetaResult.Rejected) r).reason())
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(MetaResult.Rejected.Reason.class))));
            assertFalse(resultsA.stream().anyMatch(r -> r instanceof MetaResult.Failed), resultsA.toString());
            assertEquals(new java.util.TreeSet<>(MetadataSchema.COLUMN_FAMILIES), everFilled,
                    "every table held rows at some point");

            // and the comparison notices one differing row
            b.stateMachine().apply(new GarbageCommand.RetireEpoch(3));
            assertNotEquals(rowsA, dump(b));
        }
    }

    @Test
    void theScriptIsTheSameForTheSameSeed() {
        List<byte[]> one = CommandScript.build(1).commands.stream().map(CommandCodec::encode).toList();
        List<byte[]> two = CommandScript.build(1).commands.stream().map(CommandCodec::encode).toList();
        assertEquals(one.size(), two.size());
        for (int i = 0; i < one.size(); i++) {
            assertTrue(Arrays.equals(one.get(i), two.get(i)));
        }
    }
}
