package dev.cairn.metadata;

import java.util.List;

/**
 * The on-disk schema of {@link RocksMetadataStore}: every column family, its key layout and its
 * value format. This is the one place to read before touching stored bytes.
 *
 * <h2>Key conventions ({@link KeyCodec})</h2>
 * Keys are binary and compared as unsigned bytes, which is S3 listing order (UTF-8 byte order).
 * A variable-length string followed by more fields is <em>escaped</em> ({@code esc(s)}): each
 * 0x00 becomes 0x00 0xFF, and the field ends with the terminator {@code T} = 0x00 0x01; this keeps
 * raw order, and a string sorts before every string it is a prefix of. A string that ends the key
 * is raw UTF-8. Integers and times are fixed-width big-endian ({@code u32}, {@code u64}; times are
 * epoch milliseconds, never negative). Parts are never joined with "/".
 *
 * <h2>Value conventions ({@link RecordCodec})</h2>
 * Every non-empty value starts with a format version byte; decoders reject versions they do not
 * know with {@link MetadataException.StorageFailure}. Inside: unsigned LEB128 varints for counts,
 * sizes and times, nullable strings and byte arrays as varint(length + 1) then the bytes (0 = null),
 * maps as a count then key/value strings in key order, chunk ids as 16 raw bytes.
 *
 * <h2>Column families</h2>
 * <table>
 * <caption>column families</caption>
 * <tr><th>CF</th><th>key</th><th>value</th></tr>
 * <tr><td>{@code default}</td><td>ASCII {@code "schema"}</td>
 *     <td>one byte, the schema version ({@link #SCHEMA_VERSION}); a store written by a newer
 *     schema refuses to open</td></tr>
 * <tr><td>{@code buckets}</td><td>UTF-8 bucket name (so iteration is name order)</td>
 *     <td>BucketRecord v{@value #BUCKET_V3}: name, owner, varint createdMillis, region,
 *     defaultStorageClass (nullable), u8 versioning (0 unversioned, 1 enabled, 2 suspended), u8
 *     objectLock (1: object lock enabled).
 *     v{@value #BUCKET_V2} (never versioned) and v{@value #BUCKET_V1} (no default storage class
 *     either) are still read.</td></tr>
 * <tr><td>{@code objects}</td><td>{@code esc(bucket) T utf8(key)}: the <em>current</em> object of
 *     each key only (never a delete marker), so ListObjects is one range scan that never meets a
 *     noncurrent version</td>
 *     <td>ObjectRecord v{@value #OBJECT_V4}: the v{@value #OBJECT_V3} fields, then the version:
 *     versionId (nullable string; null = the null version), varint seq, u8 deleteMarker, lockMode
 *     (nullable: GOVERNANCE or COMPLIANCE), varint retainUntilMillis, u8 legalHold. A record
 *     without a version (the null version, as every object written before schema 3 is) is still
 *     written as v{@value #OBJECT_V3}: varint size, etag, varint modifiedMillis, headers map,
 *     user-metadata map, checksum (flag byte 0/1, then algorithm, type, value), storageClass,
 *     inline bytes (null when chunked), chunk refs (count, then id(16) + varint size each), part
 *     summaries (count, then varint number, varint size, etag, checksum each), owner, tags map,
 *     acl bytes (null for the default ACL; the S3 layer's encoding). An encrypted object's record
 *     is v{@value #OBJECT_V5}: the v{@value #OBJECT_V3} fields, u8 1 when the version fields of
 *     v{@value #OBJECT_V4} follow (0 for the null version), those fields, then sealing bytes (the
 *     S3 layer's encoding of algorithm, key id and wrapped data key; a chunk ref's size is then
 *     the original size, a chunk record's the stored size). v{@value #OBJECT_V2} (without the acl)
 *     and v{@value #OBJECT_V1} (without tags either) are still read.</td></tr>
 * <tr><td>{@code versions}</td><td>{@code esc(bucket) T esc(key) T u64(Long.MAX_VALUE - seq)}: every
 *     version of a key but its current object (noncurrent objects and all delete markers), right
 *     after each other and newest first, since seq grows by one with every version of the key
 *     (given in apply: the newest seq + 1)</td>
 *     <td>ObjectRecord v{@value #OBJECT_V4} (or v{@value #OBJECT_V3} for a pre-versioning null
 *     version pushed down). Invariant: when a key has no {@code objects} row, its newest row here,
 *     if any, is a delete marker; when it has one, that row is newer than every row here. A
 *     bucket is empty (deletable) only when it has no rows in either family.</td></tr>
 * <tr><td>{@code uploads}</td><td>{@code esc(bucket) T esc(key) T uploadId(16)}; the String
 *     upload id is those 16 bytes as 32 lowercase hex digits, so (key, uploadId) order is byte
 *     order</td>
 *     <td>UploadRecord v{@value #UPLOAD_V4}: bucket, key, uploadId, varint initiatedMillis, headers
 *     map, user-metadata map, checksumAlgorithm, checksumType, storageClass, owner, tags map, acl
 *     bytes (of the object it completes into) and sealing bytes (what encrypts its parts, or null).
 *     v{@value #UPLOAD_V3} (without sealing), v{@value #UPLOAD_V2} (without acl) and
 *     v{@value #UPLOAD_V1} (without tags) are still read.</td></tr>
 * <tr><td>{@code parts}</td><td>{@code uploadId(16) u32 partNumber} (part numbers are &ge; 1)</td>
 *     <td>PartRecord v{@value #PART_V1}: varint number, varint size, etag, varint modifiedMillis,
 *     checksum, chunk refs</td></tr>
 * <tr><td>{@code chunks}</td><td>{@code chunkId(16)}</td>
 *     <td>ChunkRecord v{@value #CHUNK_V1}: id(16), varint size, protection (kind byte 0 = replica,
 *     1 = erasure; data byte; parity byte), pieces (count, then varint index, nodeId, varint size,
 *     u32 crc32c each). Written when an object or part commits; kept while the chunk sits in the
 *     garbage queue; removed by forgetChunks.</td></tr>
 * <tr><td>{@code pending}</td><td>{@code u64 epoch, chunkId(16)}: marks grouped by the writer
 *     epoch that made them, so the stale marks of a retired epoch are one range</td>
 *     <td>ChunkRecord v{@value #CHUNK_V1} of the planned chunk. Schema 1 keyed this CF by
 *     {@code u64 markedMillis}; the upgrade to schema 2 moves those marks to the retired epoch 0.</td></tr>
 * <tr><td>{@code pending_by_chunk}</td><td>{@code chunkId(16)}</td>
 *     <td>Mark v{@value #MARK_V2}: varint epoch, i.e. where the chunk's {@code pending} entry is
 *     (v{@value #MILLIS_V1}, varint markedMillis, in schema 1; rewritten by the upgrade). Lets a
 *     commit, DropPending and ForgetChunks find the mark by chunk id; always written and deleted in
 *     the same batch as the {@code pending} entry.</td></tr>
 * <tr><td>{@code epochs}</td><td>{@code u64 epoch}</td>
 *     <td>Epoch v{@value #EPOCH_V1}: holder (the writer, e.g. {@code "local"}), varint openedMillis,
 *     state byte (0 open, 1 retired). Writer epochs ({@link PendingMarks}); the {@code default} row
 *     {@code "writer-epoch"} (u64) is the last epoch number given. A retired epoch's marks are stale;
 *     its row goes with its last mark.</td></tr>
 * <tr><td>{@code gc}</td><td>{@code u64 dueMillis, chunkId(16)}: the garbage queue in due order,
 *     so dueGarbage is a scan from the start</td>
 *     <td>empty (the chunk's record stays in {@code chunks})</td></tr>
 * <tr><td>{@code gc_by_chunk}</td><td>{@code chunkId(16)}</td>
 *     <td>Millis v{@value #MILLIS_V1}: varint dueMillis, i.e. where the chunk's {@code gc} entry is,
 *     so forgetChunks can delete it by id; written and deleted with the {@code gc} entry</td></tr>
 * <tr><td>{@code nodes}</td><td>UTF-8 node id</td>
 *     <td>NodeRecord v{@value #NODE_V1}: id, address, zone, varint capacity, varint used, varint
 *     pieces, state byte (NodeState ordinal: 0 UP, 1 SUSPECT, 2 DOWN, 3 DRAINING, 4 REMOVED), varint
 *     lastHeartbeatMillis, varint joinedMillis. The cluster map; its version is the {@code default}
 *     row {@code "cluster-map-version"} (u64), bumped in the same batch as a membership change.</td></tr>
 * <tr><td>{@code repairs}</td><td>{@code chunkId(16) u8 pieceIndex}</td>
 *     <td>RepairRecord v{@value #REPAIR_V1}: reason, nodeId, varint recordedMillis. Pieces known to
 *     be missing or bad (a write that missed its full set, a corrupt or unreadable piece); the
 *     repair mover works through this table and clears rows once the piece is whole again.</td></tr>
 * <tr><td>{@code bucket_configs}</td><td>{@code esc(bucket) T utf8(kind)}, kind being the
 *     sub-resource name ({@code "tagging"}, {@code "cors"}, ...)</td>
 *     <td>BucketConfig v{@value #BUCKET_CONFIG_V1}: the document's bytes as given (the S3 layer
 *     owns their format). Removed with the bucket.</td></tr>
 * <tr><td>{@code stats}</td><td>{@code u16 stripe}: {@link StoreCounters#stripe}, a hash of
 *     (bucket, key) into 256 stripes</td>
 *     <td>Stats v{@value #STATS_V1}: varint objects, varint bytes of the objects whose
 *     (bucket, key) hashes to that stripe. A row is read and rewritten in the same batch as the
 *     object change, by the one thread applying commands, so rows are exact without merge
 *     operators; the store's totals are the sum of the rows. Rows of a stripe index beyond the
 *     current stripe count are folded into stripe {@code index % count} at open.</td></tr>
 * <tr><td>{@code bucket_stats}</td><td>{@code esc(bucket) T u16 stripe}</td>
 *     <td>BucketStats v{@value #BUCKET_STATS_V2}: varint objects, varint logical bytes, varint
 *     stored bytes (inline bytes, or the sizes of the chunk records: after compression and
 *     encryption, before erasure coding) of the bucket's objects and noncurrent versions whose
 *     (bucket, key) hashes to that stripe; kept exactly like {@code stats} (same batch) and
 *     deleted when it reaches zero, so an empty bucket has no rows. A store written before this CF
 *     existed, or with v{@value #STATS_V1} rows (objects and logical bytes only), gets its rows
 *     built from {@code objects}, {@code versions} and {@code chunks} once at open; the
 *     {@code default} rows {@code "bucket-stats-built"} and {@code "bucket-stored-built"} record
 *     that they are complete.</td></tr>
 * <tr><td>{@code moves}</td><td>{@code chunkId(16) u8 pieceIndex}</td>
 *     <td>MoveIntent v{@value #MOVE_V1}: fromNode ("" when rebuilt), toNode, varint startedMillis.
 *     A mover's copy in flight, written synced before the copy; removed by the commit
 *     (updatePieces) in the same batch as the new piece list. A row found at start-up is a copy
 *     that never committed: its target piece is deleted.</td></tr>
 * <tr><td>{@code completed_uploads}</td><td>{@code uploadId(16)}</td>
 *     <td>CompletedUpload v{@value #COMPLETED_UPLOAD_V1}: bucket, key, uploadId, varint
 *     completedMillis, varint size, etag, checksum, partsDigest (bytes). What a completed multipart
 *     upload answered, written by the CompleteUpload command, so a retried CompleteMultipartUpload
 *     gets the same answer; removed (with its {@code completed_by_time} row) by
 *     ForgetCompletedUploads once older than the retention the S3 layer keeps them for.</td></tr>
 * <tr><td>{@code completed_by_time}</td><td>{@code u64 completedMillis, uploadId(16)}: the
 *     {@code completed_uploads} rows in completion order, so expiry is a scan from the start</td>
 *     <td>empty; written and deleted with the {@code completed_uploads} row</td></tr>
 * <tr><td>{@code piece_deletes}</td><td>{@code chunkId(16) u8 pieceIndex utf8(nodeId)}</td>
 *     <td>Millis v{@value #MILLIS_V1}: when the piece may be deleted. Locations a commit dropped
 *     (the old place of a moved piece), written in the commit's batch and removed once the piece
 *     is deleted from the node.</td></tr>
 * <tr><td>{@code identities}</td><td>{@code kind(1) utf8(name)} for users ({@code 'u'}, name =
 *     user name), managed policies ({@code 'm'}, the policy name) and user quotas ({@code 'q'});
 *     {@code kind(1) esc(user) T utf8(member)} for a user's access keys ({@code 'k'}, member = key
 *     id), inline policies ({@code 'p'}, the policy name) and attached managed policies
 *     ({@code 'a'}, the policy name), so a user's rows are a prefix scan</td>
 *     <td>Identity v{@value #IDENTITY_V1}: the version byte, then a UTF-8 JSON document written
 *     by the IAM layer ({@code dev.cairn.s3.iam.IdentityDocuments}). Changed only by
 *     compare-and-set commands (WriteIdentities); the IAM layer keeps every row in memory.</td></tr>
 * <tr><td>{@code keyring}</td><td>UTF-8 key id (an SSE-KMS key id, or {@code cairn-sse-s3})</td>
 *     <td>KeyringKey v{@value #KEYRING_KEY_V1}: master key id (string), wrapped key (bytes; the S3
 *     layer's AES-256-GCM sealing of the 256-bit key under that master key). Every key is wrapped by
 *     the master key named in the {@code default} row {@code "keyring-master"} (KeyringMaster
 *     v{@value #KEYRING_MASTER_V1}: the id string), the keyring's key-check value, set by the first
 *     key. Changed only by AddKeyringKey and RewrapKeyring (a whole-keyring compare-and-set); master
 *     keys themselves are never stored.</td></tr>
 * </table>
 *
 * <h2>Invariants</h2>
 * Every change is a {@link MetaCommand} applied by {@link MetadataStateMachine}: the stored bytes
 * are a function of the commands applied, in order. A chunk belongs to exactly one object or part.
 * Every command's rows change in one WriteBatch (several commands may share one); durable
 * commands are synced before they are answered. When an object or part is replaced or removed,
 * its chunks (except any the new version, or another version of the key, still references) get a
 * {@code gc} + {@code gc_by_chunk}
 * pair (one per chunk) due at the command's {@code garbageDueMillis}; the collector reads them with
 * dueGarbage and removes them, their pending marks and their chunk records with ForgetChunks.
 *
 * <h2>Schema versions</h2>
 * The {@code default} row {@code "schema"}: 1 = pending marks by time; 2 = pending marks by writer
 * epoch (the {@code epochs} CF); 3 = versioning (the {@code versions} CF, object v4, bucket v3).
 * {@link SchemaUpgrade} upgrades 1 and 2 to 3 at open (2 to 3 rewrites no row: every object of a
 * schema 2 store is the null version of its key and stays the current object).
 */
final class MetadataSchema {
    static final int SCHEMA_VERSION = 3;
    static final byte[] SCHEMA_KEY = KeyCodec.utf8("schema");

    static final int BUCKET_V1 = 1;
    static final int BUCKET_V2 = 2;
    static final int BUCKET_V3 = 3;
    static final int OBJECT_V1 = 1;
    static final int OBJECT_V2 = 2;
    static final int OBJECT_V3 = 3;
    static final int OBJECT_V4 = 4;
    static final int OBJECT_V5 = 5;
    static final int UPLOAD_V1 = 1;
    static final int UPLOAD_V2 = 2;
    static final int UPLOAD_V3 = 3;
    static final int UPLOAD_V4 = 4;
    static final int PART_V1 = 1;
    static final int CHUNK_V1 = 1;
    static final int MILLIS_V1 = 1;
    static final int STATS_V1 = 1;
    static final int BUCKET_STATS_V2 = 2;
    static final int NODE_V1 = 1;
    static final int REPAIR_V1 = 1;
    static final int BUCKET_CONFIG_V1 = 1;
    static final int MOVE_V1 = 1;
    /** pending_by_chunk values: 1 was Millis (schema 1), 2 is the epoch. */
    static final int MARK_V2 = 2;
    static final int EPOCH_V1 = 1;
    static final int COMPLETED_UPLOAD_V1 = 1;
    static final int IDENTITY_V1 = 1;
    static final int KEYRING_KEY_V1 = 1;
    static final int KEYRING_MASTER_V1 = 1;

    static final String DEFAULT = "default";
    static final String BUCKETS = "buckets";
    static final String OBJECTS = "objects";
    static final String UPLOADS = "uploads";
    static final String PARTS = "parts";
    static final String CHUNKS = "chunks";
    static final String PENDING = "pending";
    static final String PENDING_BY_CHUNK = "pending_by_chunk";
    static final String GC = "gc";
    static final String GC_BY_CHUNK = "gc_by_chunk";
    static final String STATS = "stats";
    static final String NODES = "nodes";
    static final String REPAIRS = "repairs";
    static final String BUCKET_CONFIGS = "bucket_configs";
    static final String BUCKET_STATS = "bucket_stats";
    /** {@code default} row present once {@code bucket_stats} holds every object (set by the one-time build). */
    static final byte[] BUCKET_STATS_BUILT_KEY = KeyCodec.utf8("bucket-stats-built");
    /** {@code default} row present once the {@code bucket_stats} rows hold stored bytes too (v2, built once). */
    static final byte[] BUCKET_STORED_BUILT_KEY = KeyCodec.utf8("bucket-stored-built");
    static final String MOVES = "moves";
    static final String PIECE_DELETES = "piece_deletes";
    static final String COMPLETED_UPLOADS = "completed_uploads";
    static final String COMPLETED_BY_TIME = "completed_by_time";
    static final byte[] MAP_VERSION_KEY = KeyCodec.utf8("cluster-map-version");
    static final String EPOCHS = "epochs";
    /** {@code default} row: the last writer epoch number given (u64). */
    static final byte[] EPOCH_COUNTER_KEY = KeyCodec.utf8("writer-epoch");
    /**
     * Replicated mode only: the Raft log position (term, index; two longs) of the last entry
     * applied, written in the same batch as that entry's commands, so the database and its
     * position never disagree after a crash.
     */
    static final byte[] RAFT_APPLIED_KEY = KeyCodec.utf8("raft-applied");
    static final String IDENTITIES = "identities";
    static final String VERSIONS = "versions";
    static final String KEYRING = "keyring";
    /** {@code default} row: the id of the master key that wraps every keyring key (KeyringMaster v1). */
    static final byte[] KEYRING_MASTER_KEY = KeyCodec.utf8("keyring-master");

    /** All column families in the order they are opened. */
    static final List<String> COLUMN_FAMILIES = List.of(DEFAULT, BUCKETS, OBJECTS, UPLOADS, PARTS, CHUNKS, PENDING,
            PENDING_BY_CHUNK, GC, GC_BY_CHUNK, STATS, NODES, REPAIRS, BUCKET_CONFIGS, BUCKET_STATS, MOVES,
            PIECE_DELETES, EPOCHS, COMPLETED_UPLOADS, COMPLETED_BY_TIME, IDENTITIES, VERSIONS, KEYRING);

    /** Column families served mostly by point lookups, which get a bloom filter. */
    static final List<String> POINT_LOOKUP = List.of(BUCKETS, OBJECTS, CHUNKS, PENDING_BY_CHUNK, GC_BY_CHUNK,
            COMPLETED_UPLOADS);

    private MetadataSchema() {
    }
}
