package dev.cairn.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CommandCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static List<MetaResult> everyResult() {
        ObjectRecord o = new ObjectRecord(3, "e", 5, Map.of("content-type", "x"), Map.of("m", "1"), null, "STANDARD",
                new byte[] {1, 2, 3}, List.of(), List.of(), "owner", Map.of("t", "v"));
        BucketRecord b = new BucketRecord("b", "owner", 1, "us-east-1", "GLACIER");
        List<MetaResult> out = new ArrayList<>(List.of(MetaResult.DONE, new MetaResult.Replaced(Optional.empty()),
                new MetaResult.Replaced(Optional.of(o)), new MetaResult.BucketResult(b), new MetaResult.ObjectResult(o),
                new MetaResult.MapVersion(1L << 40), new MetaResult.Swapped(true), new MetaResult.Swapped(false),
                new MetaResult.Epoch(7), new MetaResult.Count(12), new MetaResult.Failed("PUT_OBJECT failed: corrupt object value")));
        out.add(MetaResult.Rejected.of(new MetadataException.NoSuchBucket("b")));
        out.add(MetaResult.Rejected.of(new MetadataException.BucketAlreadyExists(b)));
        out.add(MetaResult.Rejected.of(new MetadataException.BucketNotEmpty("b")));
        out.add(MetaResult.Rejected.of(new MetadataException.NoSuchUpload("0123")));
        out.add(MetaResult.Rejected.of(new MetadataException.NoSuchKey("b", "k/ü")));
        out.add(MetaResult.Rejected.of(new MetadataException.PreconditionFailed("etag does not match")));
        out.add(MetaResult.Rejected.of(new MetadataException.Conflict("a part was uploaded again")));
        return out;
    }

    @Test
    void everyCommandRoundTrips() {
        for (MetaCommand<?> c : CommandScript.build(3).commands) {
            byte[] bytes = CommandCodec.encode(c);
            MetaCommand<?> back = CommandCodec.decode(bytes);
            assertEquals(c.getClass(), back.getClass());
            assertArrayEquals(bytes, CommandCodec.encode(back), c.toString());
            if (!(c instanceof MetaCommand.PutObject || c instanceof UploadCommand.CompleteUpload
                    || c instanceof MetaCommand.DeleteKey || c instanceof MetaCommand.Expire
                    || c instanceof MetaCommand.PutBucketConfig || c instanceof MetaCommand.WriteIdentities)) {
                assertEquals(c, back); // records without byte arrays (a marker holds one) compare by value
            }
        }
    }

    @Test
    void fieldsSurviveTheRoundTrip() {
        byte[] doc = {0, 1, 2, (byte) 255};
        var config = (MetaCommand.PutBucketConfig) CommandCodec.decode(CommandCodec.encode(
                new MetaCommand.PutBucketConfig("b", "cors", doc)));
        assertArrayEquals(doc, config.document());
        assertEquals(null, ((MetaCommand.PutBucketConfig) CommandCodec.decode(CommandCodec.encode(
                new MetaCommand.PutBucketConfig("b", "cors", null)))).document());
        var put = (MetaCommand.PutObject) CommandCodec.decode(CommandCodec.encode(new MetaCommand.PutObject("b", "ключ",
                Fixtures.inlineObject("e", new byte[] {9}), null, WriteCondition.etagMatches("\"e\""), 1234)));
        Fixtures.assertSameObject(Fixtures.inlineObject("e", new byte[] {9}), put.object());
        assertEquals(WriteCondition.etagMatches("\"e\""), put.condition());
        assertEquals(List.of(), put.newChunks());
        assertEquals(1234, put.garbageDueMillis());
        assertEquals("ключ", put.key());

        WriteCondition every = WriteCondition.NONE.andEtagIn(List.of("\"a\"", "*")).andEtagNotIn(List.of("W/\"b\""))
                .andSize(0).andModifiedSecond(-1);
        var delete = (MetaCommand.DeleteObject) CommandCodec.decode(CommandCodec.encode(
                new MetaCommand.DeleteObject("b", "k", every, 1)));
        assertEquals(every, delete.condition());
        assertEquals(WriteCondition.MUST_NOT_EXIST, ((MetaCommand.DeleteObject) CommandCodec.decode(CommandCodec.encode(
                new MetaCommand.DeleteObject("b", "k", WriteCondition.MUST_NOT_EXIST, 1)))).condition());
        var complete = (UploadCommand.CompleteUpload) CommandCodec.decode(CommandCodec.encode(new UploadCommand.CompleteUpload(
                "b", "k", ChunkId.random().hex(), List.of(1), Fixtures.inlineObject("e", new byte[0]), null,
                new byte[] {7, 0, 7}, 9)));
        assertArrayEquals(new byte[] {7, 0, 7}, complete.partsDigest());

        IdentityKey user = IdentityKey.of(IdentityKey.Kind.USER, "ü");
        IdentityKey key = IdentityKey.of(IdentityKey.Kind.ACCESS_KEY, "ü", "AKIA");
        var ids = (MetaCommand.WriteIdentities) CommandCodec.decode(CommandCodec.encode(new MetaCommand.WriteIdentities(
                new IdentityChange(List.of(new IdentityRow(user, doc)), List.of(key),
                        List.of(IdentityChange.Expected.absent(user), new IdentityChange.Expected(key, new byte[0]))))));
        assertEquals(List.of(new IdentityRow(user, doc)), ids.change().puts());
        assertEquals(List.of(key), ids.change().deletes());
        assertEquals(user, ids.change().expected().get(0).key());
        assertEquals(null, ids.change().expected().get(0).document());
        assertArrayEquals(new byte[0], ids.change().expected().get(1).document());
        assertArrayEquals(doc, ((MetaCommand.SetObjectAcl) CommandCodec.decode(CommandCodec.encode(
                new MetaCommand.SetObjectAcl("b", "k", doc)))).acl());
    }

    @Test
    void theWireFormatIsPinned() {
        // version 1, tag, fields: a change here breaks replicas and logs of older builds
        assertEquals("011fac02", HEX.formatHex(CommandCodec.encode(new GarbageCommand.RetireEpoch(300))));
        assertEquals("01020262e807", HEX.formatHex(CommandCodec.encode(new MetaCommand.DeleteBucket("b", 1000))));
        assertEquals("010c0262026b020102650005", HEX.formatHex(CommandCodec.encode(
                new MetaCommand.DeleteObject("b", "k", WriteCondition.etagMatches("e"), 5))));
        assertEquals("010c0262026b0d0102610a800200", HEX.formatHex(CommandCodec.encode(new MetaCommand.DeleteObject("b",
                "k", WriteCondition.MUST_NOT_EXIST.andEtagNotIn(List.of("a")).andSize(10).andModifiedSecond(256), 0))));
        assertEquals("010d0262026b0207", HEX.formatHex(CommandCodec.encode(new MetaCommand.SetObjectAcl("b", "k",
                new byte[] {7}))));
        assertEquals("010d0262026b00", HEX.formatHex(CommandCodec.encode(new MetaCommand.SetObjectAcl("b", "k", null))));
        IdentityKey user = IdentityKey.of(IdentityKey.Kind.USER, "a");
        assertEquals("013c0175026100020101" + "6b0261026b" + "01750261000209", HEX.formatHex(CommandCodec.encode(
                new MetaCommand.WriteIdentities(new IdentityChange(List.of(new IdentityRow(user, new byte[] {1})),
                        List.of(IdentityKey.of(IdentityKey.Kind.ACCESS_KEY, "a", "k")),
                        List.of(new IdentityChange.Expected(user, new byte[] {9})))))));
        assertEquals("0150026b026d0207", HEX.formatHex(CommandCodec.encode(
                new MetaCommand.AddKeyringKey(new Keyring.Key("k", "m", new byte[] {7})))));
        assertEquals("015100026d01026b026d0207", HEX.formatHex(CommandCodec.encode(new MetaCommand.RewrapKeyring(null,
                "m", List.of(new Keyring.Key("k", "m", new byte[] {7}))))));
        assertEquals("010601", HEX.formatHex(ResultCodec.encode(new MetaResult.Swapped(true))));
        assertEquals("01080402610000", HEX.formatHex(ResultCodec.encode(
                MetaResult.Rejected.of(new MetadataException.NoSuchUpload("a")))));
    }

    @Test
    void everyResultRoundTripsAndRebuildsItsException() {
        for (MetaResult r : everyResult()) {
            byte[] bytes = ResultCodec.encode(r);
            MetaResult back = ResultCodec.decode(bytes);
            assertArrayEquals(bytes, ResultCodec.encode(back), r.toString());
            if (!(r instanceof MetaResult.Replaced || r instanceof MetaResult.ObjectResult)) {
                assertEquals(r, back);
            }
            if (back instanceof MetaResult.Rejected rejected) {
                MetadataException e = rejected.toException();
                assertEquals(rejected, MetaResult.Rejected.of(e), "the exception carries what the result needs");
            }
        }
        var exists = (MetadataException.BucketAlreadyExists) ((MetaResult.Rejected) ResultCodec.decode(ResultCodec.encode(
                MetaResult.Rejected.of(new MetadataException.BucketAlreadyExists(new BucketRecord("b", "o", 1, "r"))))))
                .toException();
        assertEquals(new BucketRecord("b", "o", 1, "r"), exists.existing());
    }

    @Test
    void malformedBytesAreAStorageFailure() {
        List<byte[]> encoded = new ArrayList<>();
        CommandScript.build(5).commands.forEach(c -> encoded.add(CommandCodec.encode(c)));
        for (byte[] full : encoded) {
            for (int n = 0; n < full.length; n++) {
                byte[] prefix = Arrays.copyOf(full, n);
                assertThrows(MetadataException.StorageFailure.class, () -> CommandCodec.decode(prefix),
                        "prefix " + n + " of " + HEX.formatHex(full));
            }
            byte[] longer = Arrays.copyOf(full, full.length + 1);
            assertThrows(MetadataException.StorageFailure.class, () -> CommandCodec.decode(longer));
        }
        assertThrows(MetadataException.StorageFailure.class, () -> CommandCodec.decode(HEX.parseHex("021fac02")),
                "a newer format version");
        assertThrows(MetadataException.StorageFailure.class, () -> CommandCodec.decode(HEX.parseHex("01ff00")),
                "an unknown command");
        assertThrows(MetadataException.StorageFailure.class, () -> CommandCodec.decode(null));
        for (MetaResult r : everyResult()) {
            byte[] full = ResultCodec.encode(r);
            for (int n = 0; n < full.length; n++) {
                byte[] prefix = Arrays.copyOf(full, n);
                assertThrows(MetadataException.StorageFailure.class, () -> ResultCodec.decode(prefix));
            }
        }
        assertThrows(MetadataException.StorageFailure.class, () -> ResultCodec.decode(HEX.parseHex("0163")));
    }

    @Test
    void commandsCheckTheirFieldsWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new UploadCommand.CreateUpload(
                new UploadRecord("b", "k", "not-hex", 0, Map.of(), Map.of(), null, null, "S", "o")));
        assertThrows(IllegalArgumentException.class, () -> new UploadCommand.PutPart("b", "k", ChunkId.random().hex(),
                new PartRecord(0, 0, "e", 0, null, List.of()), List.of(), 0));
        assertEquals(WriteCondition.NONE, new MetaCommand.DeleteObject("b", "k", null, 0).condition());
        byte[] doc = {1};
        var c = new MetaCommand.PutBucketConfig("b", "k", doc);
        doc[0] = 2;
        assertArrayEquals(new byte[] {1}, c.document(), "a command is a value: it copies what it is given");
    }
}
