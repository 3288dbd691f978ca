package dev.cairn.chunkstore.codec;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Systematic Reed-Solomon erasure code over GF(2^8): k data pieces and m parity pieces, any
 * k of which rebuild the rest.
 *
 * <h2>Design note</h2>
 * <ul>
 *   <li><b>Field</b>: GF(2^8) with primitive polynomial 0x11D ({@link GaloisField}).</li>
 *   <li><b>Matrix</b>: the (k+m) x k Vandermonde matrix V[r][c] = r^c times the inverse of
 *       its top k x k square. The top k rows become the identity (data pieces are the chunk
 *       itself) and every k rows stay invertible, because any k rows of a Vandermonde matrix
 *       with distinct points are. This is the construction of Backblaze's JavaReedSolomon
 *       and klauspost/reedsolomon, so pieces are byte-compatible with theirs.</li>
 *   <li><b>Layout</b>: a chunk is cut into k stripes of {@link #pieceSize(long)} bytes, the
 *       last one zero-padded; byte i of parity piece p is sum over c of E[k+p][c] * data[c][i].
 *       The chunk's logical size is kept by the caller.</li>
 *   <li><b>Kernel</b> ({@link CodingPlan}, {@link XorLoops}): no per-byte table lookups.
 *       Each output is computed by Horner's rule over the bits of its coefficients, as a
 *       few passes of 8-byte SWAR "times two" and XOR loops that C2 auto-vectorises, into
 *       a long[] accumulator that is then stored to the output. Pieces are processed in
 *       8 KiB blocks so the inputs of a block stay in L1/L2 across passes. About 10x the
 *       throughput of the classic 256-entry table loop (see docs/PERFORMANCE.md).</li>
 *   <li><b>Reconstruction</b>: choose k present pieces (data first), invert their rows of
 *       the encoding matrix and compute every wanted missing piece directly from them in
 *       one pass. The resulting plans are cached per erasure pattern (bounded LRU).</li>
 *   <li><b>Buffers</b>: every method reads and writes between position and limit and leaves
 *       positions and limits unchanged, except {@link #join} which writes {@code out} like
 *       a relative put. Array-backed buffers are processed in place; direct and read-only
 *       buffers are staged through small per-call scratch arrays.</li>
 * </ul>
 * Instances are immutable apart from the decode-plan cache and safe to share between threads.
 */
public final class ReedSolomonCodec {
    /** Largest k + m the Vandermonde construction over GF(2^8) supports here. */
    public static final int MAX_TOTAL_PIECES = 255;
    private static final int DECODE_PLAN_CACHE_SIZE = 64;
    /**
     * Bytes of every piece processed per pass. Measured on 4 MiB chunks (4+2, 8+4, decode):
     * 2 to 32 KiB all land within about 15% of each other, 8 KiB was best or level
     * everywhere; a multiple of 64 keeps the vector loops of consecutive blocks aligned.
     */
    private static final int BLOCK_SIZE = 8 * 1024;
    private static final Map<Integer, ReedSolomonCodec> INSTANCES = new ConcurrentHashMap<>();

    private final int k;
    private final int m;
    private final Matrix encodingMatrix;
    private final CodingPlan parityPlan;
    private final Map<BitSet, DecodePlan> decodePlans =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<BitSet, DecodePlan> eldest) {
                    return size() > DECODE_PLAN_CACHE_SIZE;
                }
            };

    /** Plan to rebuild {@code targets} from {@code sources} (piece indexes). */
    private record DecodePlan(int[] sources, int[] targets, CodingPlan plan) {
    }

    private ReedSolomonCodec(int k, int m) {
        this.k = k;
        this.m = m;
        Matrix vandermonde = Matrix.vandermonde(k + m, k);
        this.encodingMatrix = vandermonde.times(vandermonde.subRows(0, k).invert());
        this.parityPlan = new CodingPlan(encodingMatrix.subRows(k, k + m));
    }

    /**
     * The codec for k data and m parity pieces; instances are cached and shared.
     *
     * @throws IllegalArgumentException unless k >= 1, m >= 1 and k + m <= 255
     */
    public static ReedSolomonCodec of(int k, int m) {
        if (k < 1 || m < 1 || k + m > MAX_TOTAL_PIECES) {
            throw new IllegalArgumentException(
                    "need 1 <= k, 1 <= m, k + m <= " + MAX_TOTAL_PIECES + ": k=" + k + " m=" + m);
        }
        return INSTANCES.computeIfAbsent(k << 8 | m, key -> new ReedSolomonCodec(k, m));
    }

    public int dataPieces() {
        return k;
    }

    public int parityPieces() {
        return m;
    }

    public int totalPieces() {
        return k + m;
    }

    /** ceil(chunkSize / k): the size of every piece of a chunk of chunkSize bytes. */
    public int pieceSize(long chunkSize) {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("negative chunk size " + chunkSize);
        }
        long size = (chunkSize + k - 1) / k;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("chunk too large for " + k + " pieces: "
                    + chunkSize);
        }
        return (int) size;
    }

    /** The (k+m) x k encoding matrix (tests and diagnostics). */
    Matrix encodingMatrix() {
        return encodingMatrix;
    }

    /**
     * Computes the m parity pieces of k data pieces. All data buffers must have the same
     * {@code remaining()} n, and every parity buffer exactly n remaining; parity bytes are
     * written from each buffer's position. No position or limit changes.
     */
    public void encode(ByteBuffer[] data, ByteBuffer[] parity) {
        requireLength(data, k, "data");
        requireLength(parity, m, "parity");
        int n = commonRemaining(data, "data");
        for (ByteBuffer p : parity) {
            if (p == null || p.remaining() != n) {
                throw new IllegalArgumentException("every parity buffer needs " + n + " bytes");
            }
            if (p.isReadOnly()) {
                throw new IllegalArgumentException("parity buffer is read-only");
            }
        }
        run(parityPlan, data, parity, n);
    }

    /**
     * Rebuilds every missing (null) piece from any k present ones, allocating heap buffers
     * for the rebuilt pieces. {@code pieces} has k+m slots in piece order.
     *
     * @throws IllegalArgumentException if fewer than k pieces are present
     */
    public void reconstruct(ByteBuffer[] pieces) {
        requireLength(pieces, k + m, "pieces");
        boolean[] present = new boolean[k + m];
        int count = 0;
        int n = -1;
        for (int i = 0; i < pieces.length; i++) {
            if (pieces[i] != null) {
                if (n >= 0 && pieces[i].remaining() != n) {
                    throw new IllegalArgumentException("present pieces differ in length");
                }
                n = pieces[i].remaining();
                present[i] = true;
                count++;
            }
        }
        requireEnough(count);
        for (int i = 0; i < pieces.length; i++) {
            if (!present[i]) {
                pieces[i] = ByteBuffer.allocate(n);
            }
        }
        decode(pieces, present);
    }

    /**
     * Rebuilds selected missing pieces into caller-supplied buffers. Slot i is a source
     * when {@code present[i]}; otherwise a non-null {@code pieces[i]} is a target to fill
     * (exactly n bytes remaining, written from its position) and a null one is not wanted.
     * Only the first k present pieces (data pieces first) are read.
     *
     * @throws IllegalArgumentException if fewer than k pieces are present
     */
    public void decode(ByteBuffer[] pieces, boolean[] present) {
        requireLength(pieces, k + m, "pieces");
        if (present.length != k + m) {
            throw new IllegalArgumentException("present needs " + (k + m) + " slots");
        }
        BitSet key = new BitSet(2 * (k + m));
        int count = 0;
        for (int i = 0; i < k + m; i++) {
            if (present[i]) {
                if (pieces[i] == null) {
                    throw new IllegalArgumentException("piece " + i + " is marked present but null");
                }
                if (count < k) {
                    key.set(i);
                }
                count++;
            } else if (pieces[i] != null) {
                key.set(k + m + i);
            }
        }
        requireEnough(count);
        DecodePlan plan = decodePlan(key);
        if (plan.targets.length == 0) {
            return;
        }
        ByteBuffer[] sources = select(pieces, plan.sources);
        ByteBuffer[] targets = select(pieces, plan.targets);
        int n = commonRemaining(sources, "present");
        for (int t : plan.targets) {
            if (pieces[t].remaining() != n || pieces[t].isReadOnly()) {
                throw new IllegalArgumentException(
                        "piece " + t + " needs " + n + " writable bytes remaining");
            }
        }
        run(plan.plan, sources, targets, n);
    }

    private DecodePlan decodePlan(BitSet key) {
        synchronized (decodePlans) {
            DecodePlan plan = decodePlans.get(key);
            if (plan == null) {
                plan = buildDecodePlan(key);
                decodePlans.put(key, plan);
            }
            return plan;
        }
    }

    private DecodePlan buildDecodePlan(BitSet key) {
        int n = k + m;
        int[] sources = key.get(0, n).stream().toArray();
        int[] targets = key.get(n, 2 * n).stream().toArray();
        // data = inverse(rows of E for the sources) * sources
        Matrix toData = encodingMatrix.selectRows(sources).invert();
        // each target piece t = E[t] * data = (E[t] * toData) * sources
        Matrix rows = encodingMatrix.selectRows(targets).times(toData);
        return new DecodePlan(sources, targets, new CodingPlan(rows));
    }

    /**
     * Splits a chunk's remaining bytes into k data pieces of {@link #pieceSize} bytes, the
     * last zero-padded. Pieces are views of the chunk's memory where possible (every piece
     * but a padded last one) and positioned at 0; the chunk's position is not changed.
     */
    public ByteBuffer[] split(ByteBuffer chunk) {
        int size = chunk.remaining();
        int pieceSize = pieceSize(size);
        ByteBuffer[] pieces = new ByteBuffer[k];
        for (int i = 0; i < k; i++) {
            int from = i * pieceSize;
            int len = Math.max(0, Math.min(pieceSize, size - from));
            if (len == pieceSize) {
                pieces[i] = chunk.slice(chunk.position() + from, pieceSize);
            } else {
                byte[] padded = new byte[pieceSize];
                if (len > 0) {
                    chunk.get(chunk.position() + from, padded, 0, len);
                }
                pieces[i] = ByteBuffer.wrap(padded);
            }
        }
        return pieces;
    }

    /**
     * Writes the first chunkSize bytes of the concatenated data pieces to {@code out}
     * (advancing its position). Each piece needs {@code pieceSize(chunkSize)} remaining;
     * piece positions are not changed.
     */
    public void join(ByteBuffer[] dataPieces, long chunkSize, ByteBuffer out) {
        requireLength(dataPieces, k, "data");
        int pieceSize = pieceSize(chunkSize);
        if (out.remaining() < chunkSize) {
            throw new IllegalArgumentException(
                    "output has " + out.remaining() + " bytes remaining, chunk is " + chunkSize);
        }
        for (ByteBuffer piece : dataPieces) {
            if (piece == null || piece.remaining() != pieceSize) {
                throw new IllegalArgumentException("every data piece needs " + pieceSize + " bytes");
            }
        }
        long left = chunkSize;
        for (ByteBuffer piece : dataPieces) {
            int len = (int) Math.min(left, pieceSize);
            out.put(piece.slice(piece.position(), len));
            left -= len;
        }
    }

    /** Runs a plan over n bytes in L1-sized blocks, staging non-array buffers. */
    private void run(CodingPlan plan, ByteBuffer[] in, ByteBuffer[] out, int n) {
        byte[][] inArrays = new byte[in.length][];
        int[] inBase = new int[in.length];
        boolean[] inStaged = bind(in, inArrays, inBase);
        byte[][] outArrays = new byte[out.length][];
        int[] outBase = new int[out.length];
        boolean[] outStaged = bind(out, outArrays, outBase);
        int[] inOff = new int[in.length];
        int[] outOff = new int[out.length];
        long[] accumulator = new long[BLOCK_SIZE >>> 3];
        for (int start = 0; start < n; start += BLOCK_SIZE) {
            int len = Math.min(BLOCK_SIZE, n - start);
            for (int i = 0; i < in.length; i++) {
                if (inStaged[i]) {
                    in[i].get(in[i].position() + start, inArrays[i], 0, len);
                } else {
                    inOff[i] = inBase[i] + start;
                }
            }
            for (int i = 0; i < out.length; i++) {
                outOff[i] = outStaged[i] ? 0 : outBase[i] + start;
            }
            plan.apply(inArrays, inOff, outArrays, outOff, len, accumulator);
            for (int i = 0; i < out.length; i++) {
                if (outStaged[i]) {
                    out[i].put(out[i].position() + start, outArrays[i], 0, len);
                }
            }
        }
    }

    /** Array and base offset of each buffer; buffers without an accessible array get scratch. */
    private boolean[] bind(ByteBuffer[] buffers, byte[][] arrays, int[] base) {
        boolean[] staged = new boolean[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            ByteBuffer b = buffers[i];
            if (b.hasArray()) {
                arrays[i] = b.array();
                base[i] = b.arrayOffset() + b.position();
            } else {
                arrays[i] = new byte[BLOCK_SIZE];
                staged[i] = true;
            }
        }
        return staged;
    }

    private static ByteBuffer[] select(ByteBuffer[] pieces, int[] indexes) {
        ByteBuffer[] result = new ByteBuffer[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            result[i] = pieces[indexes[i]];
        }
        return result;
    }

    private void requireEnough(int present) {
        if (present < k) {
            throw new IllegalArgumentException(
                    "need " + k + " pieces to reconstruct, only " + present + " present");
        }
    }

    private static void requireLength(ByteBuffer[] buffers, int expected, String what) {
        if (buffers == null || buffers.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " " + what + " buffers");
        }
    }

    private static int commonRemaining(ByteBuffer[] buffers, String what) {
        int n = -1;
        for (ByteBuffer b : buffers) {
            if (b == null) {
                throw new IllegalArgumentException("missing " + what + " buffer");
            }
            if (n >= 0 && b.remaining() != n) {
                throw new IllegalArgumentException(what + " buffers differ in length");
            }
            n = b.remaining();
        }
        return n;
    }

    @Override
    public String toString() {
        return "RS(" + k + "+" + m + ")";
    }

    /** Number of cached decode plans (tests). */
    int cachedDecodePlans() {
        synchronized (decodePlans) {
            return decodePlans.size();
        }
    }
}
