package dev.cairn.s3.data;

import dev.cairn.metadata.ChunkRef;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartSummary;

import java.util.List;

/**
 * Where each chunk of an object was written from: its part number (0 for a single PUT or a copy)
 * and its index within that part, as the {@link ChunkCodec} bound them when it encoded the chunk.
 * A multipart object's chunks are its parts' chunks in order, so part boundaries are found by
 * adding chunk sizes up to each part's size.
 */
public final class ChunkPositions {
    private final int[] parts;
    private final int[] indexes;

    private ChunkPositions(int[] parts, int[] indexes) {
        this.parts = parts;
        this.indexes = indexes;
    }

    public static ChunkPositions of(ObjectRecord object) {
        List<ChunkRef> chunks = object.chunks();
        int[] parts = new int[chunks.size()];
        int[] indexes = new int[chunks.size()];
        List<PartSummary> summaries = object.parts();
        if (summaries.isEmpty()) {
            for (int i = 0; i < indexes.length; i++) {
                indexes[i] = i;
            }
            return new ChunkPositions(parts, indexes);
        }
        int c = 0;
        for (PartSummary p : summaries) {
            long left = p.size();
            int index = 0;
            while (left > 0 && c < chunks.size()) {
                parts[c] = p.partNumber();
                indexes[c] = index++;
                left -= chunks.get(c).size();
                c++;
            }
        }
        return new ChunkPositions(parts, indexes);
    }

    public int part(int chunk) {
        return parts[chunk];
    }

    public int index(int chunk) {
        return indexes[chunk];
    }
}
