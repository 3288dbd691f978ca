package dev.cairn.metadata.ratis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Raft snapshot as one file: the files of a RocksDB checkpoint directory, one after the other
 * (name, length, bytes). One file is what Ratis's snapshot storage and its install-snapshot
 * transfer handle (with an MD5 beside it); a checkpoint directory is what RocksDB opens.
 */
public final class SnapshotFile {
    private static final int MAGIC = 0x43534e50; // "CSNP"

    private SnapshotFile() {
    }

    /** Writes every regular file of {@code checkpoint} into {@code file} (written to a temp name, then moved). */
    public static void pack(Path checkpoint, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        List<Path> files;
        try (Stream<Path> s = Files.list(checkpoint)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream raw = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(files.size());
            for (Path f : files) {
                out.writeUTF(f.getFileName().toString());
                out.writeLong(Files.size(f));
                Files.copy(f, out);
            }
            out.flush();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Recreates the checkpoint directory {@code target} (which must not exist) from {@code file}. */
    public static void unpack(Path file, Path target) throws IOException {
        Files.createDirectories(target);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a Cairn metadata snapshot");
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                    throw new IOException("snapshot " + file + " names a file outside its directory: " + name);
                }
                long size = in.readLong();
                try (OutputStream out = Files.newOutputStream(target.resolve(name))) {
                    copy(in, out, size);
                }
            }
        } catch (EOFException e) {
            throw new IOException("snapshot " + file + " is truncated", e);
        }
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
