package dev.cairn.metadata.ratis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import dev.cairn.metadata.CommandCodec;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetaResult;
import dev.cairn.metadata.ResultCodec;

/**
 * A Raft log entry of metadata: a group of commands ({@link CommandCodec} each) committed
 * together, and the reply carrying one result ({@link ResultCodec}) per command.
 * Layout: version byte, count, then length-prefixed items.
 */
final class EntryCodec {
    private static final int V1 = 1;

    private EntryCodec() {
    }

    static byte[] encodeCommands(List<? extends MetaCommand<?>> commands) {
        List<byte[]> items = new ArrayList<>(commands.size());
        commands.forEach(c -> items.add(CommandCodec.encode(c)));
        return pack(items);
    }

    static List<MetaCommand<?>> decodeCommands(byte[] bytes) {
        List<MetaCommand<?>> out = new ArrayList<>();
        unpack(bytes).forEach(b -> out.add(CommandCodec.decode(b)));
        return out;
    }

    static byte[] encodeResults(List<MetaResult> results) {
        List<byte[]> items = new ArrayList<>(results.size());
        results.forEach(r -> items.add(ResultCodec.encode(r)));
        return pack(items);
    }

    static List<MetaResult> decodeResults(byte[] bytes) {
        List<MetaResult> out = new ArrayList<>();
        unpack(bytes).forEach(b -> out.add(ResultCodec.decode(b)));
        return out;
    }

    private static byte[] pack(List<byte[]> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(V1);
            out.writeInt(items.size());
            for (byte[] item : items) {
                out.writeInt(item.length);
                out.write(item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<byte[]> unpack(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != V1) {
                throw new IllegalArgumentException("unknown metadata entry version " + version);
            }
            int n = in.readInt();
            List<byte[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] item = new byte[in.readInt()];
                in.readFully(item);
                out.add(item);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated metadata entry", e);
        }
    }
}
