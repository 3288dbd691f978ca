package dev.cairn.s3.crypto;

import dev.cairn.metadata.Keyring;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetaCommitter;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.AEADBadTagException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Cairn's own key-management keyring: the key-encryption keys that wrap data keys. SSE-KMS names
 * them ({@code cairn admin key create}); SSE-S3 uses the internal key {@link #SSE_S3}, created on
 * first use. Each key is 256 random bits kept in metadata ({@link Keyring}) wrapped by the master
 * key, so every gateway of a replicated cluster sees the same keyring; the wrapping happens here
 * and the commands carry the wrapped bytes. All keys are wrapped by one master key, whose id -
 * a digest of the key - is stored with them: a server whose master keys do not include it
 * refuses SSE-S3 and SSE-KMS ({@link #mismatch()}) instead of writing keys no other server could
 * read. Rotating the master key re-wraps the whole keyring in one command ({@link #rewrap}); the
 * data keys they wrap stay as they are.
 *
 * <p>The keyring is cached; a key not in the cache is looked up again (another gateway may just
 * have created it), and {@link #invalidate()} drops the cache when another gateway's keyring
 * command is applied. Blocking: call from a worker thread.
 */
public final class KeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final int RETRIES = 5;

    /** The internal key that wraps SSE-S3 data keys. */
    public static final String SSE_S3 = "cairn-sse-s3";

    private final MetadataReads reads;
    private final MetaCommitter committer;
    private final MasterKeys master;
    private volatile Keyring cached;
    private String loggedMismatch;

    public KeyRing(MetadataReads reads, MetaCommitter committer, MasterKeys master) {
        this.reads = reads;
        this.committer = committer;
        this.master = master;
    }

    /** Reads the keyring again (and logs a master key mismatch once per change). */
    public Keyring reload() {
        Keyring k = reads.keyring();
        cached = k;
        String problem = mismatch(k);
        synchronized (this) {
            if (problem != null && !problem.equals(loggedMismatch)) {
                LOG.error("master key mismatch: {}", problem);
            }
            loggedMismatch = problem;
        }
        return k;
    }

    /** Drops the cache: another gateway changed the keyring. */
    public void invalidate() {
        cached = null;
    }

    /** The keyring as last read (read now when not cached). */
    public Keyring state() {
        Keyring k = cached;
        return k != null ? k : reload();
    }

    /**
     * Why this server cannot use the keyring although it has a master key: the keyring is wrapped by
     * a master key it was not given (another key file, a typo in CAIRN_MASTER_KEY); null when it can.
     */
    public String mismatch() {
        return master.present() ? mismatch(state()) : null;
    }

    private String mismatch(Keyring k) {
        if (!master.present() || k.masterId() == null || master.byId(k.masterId()).isPresent()) {
            return null;
        }
        return "the keyring (" + k.keys().size() + " key(s)) is wrapped by master key " + k.masterId()
                + ", which this server was not given (its master keys: " + String.join(", ", master.ids())
                + "); SSE-S3 and SSE-KMS objects cannot be written or read until the server gets the same "
                + "--master-key-file or CAIRN_MASTER_KEY as the others";
    }

    /** Creates a key and returns its id. */
    public String create() {
        String id = UUID.randomUUID().toString();
        add(id);
        return id;
    }

    /** The internal SSE-S3 key, created when missing (by whichever gateway comes first). */
    public byte[] sseS3Key() {
        Optional<byte[]> existing = key(SSE_S3);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            add(SSE_S3);
        } catch (MetadataException.Conflict e) {
            reload(); // another gateway created it first: use that one
        }
        return key(SSE_S3).orElseThrow();
    }

    private void add(String id) {
        requireUsable();
        Keyring k = state();
        String masterId = k.masterId() != null ? k.masterId() : master.activeId();
        byte[] mk = master.byId(masterId).orElseThrow();
        committer.commitAndWait(new MetaCommand.AddKeyringKey(new Keyring.Key(id, masterId,
                Aead.seal(mk, Aead.randomBytes(Aead.KEY_BYTES), aad(id)))));
        reload();
    }

    /** The keys SSE-KMS may name, in id order (the internal SSE-S3 key is not one of them). */
    public List<String> kmsIds() {
        return ids().stream().filter(id -> !id.equals(SSE_S3)).toList();
    }

    /** The id of the master key that wraps key {@code id}. */
    public String wrappedBy(String id) {
        return state().key(id).map(Keyring.Key::masterId).orElse(null);
    }

    public List<String> ids() {
        return state().ids();
    }

    /** Whether the keyring has key {@code id} (looked up again when the cache has not). */
    public boolean contains(String id) {
        return entry(id).isPresent();
    }

    private Optional<Keyring.Key> entry(String id) {
        Optional<Keyring.Key> e = state().key(id);
        return e.isPresent() ? e : reload().key(id);
    }

    /** The key with this id, unwrapped; empty when the keyring has no such key. */
    public Optional<byte[]> key(String id) {
        Optional<Keyring.Key> e = entry(id);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(unwrap(e.get()));
    }

    private byte[] unwrap(Keyring.Key e) {
        byte[] mk = master.byId(e.masterId()).orElseThrow(() -> new IllegalStateException(
                Objects.requireNonNullElse(mismatch(), "keyring key " + e.id() + " is wrapped by master key "
                        + e.masterId() + ", which this server was not given")));
        try {
            return Aead.open(mk, e.wrapped(), aad(e.id()));
        } catch (AEADBadTagException ex) {
            throw new IllegalStateException("keyring key " + e.id() + " does not unwrap: its record was altered", ex);
        }
    }

    /**
     * Re-wraps every key under the active master key, in one command (retried when another gateway
     * changed the keyring meanwhile); returns how many keys changed master key.
     */
    public int rewrap() {
        requireMaster();
        for (int attempt = 0; ; attempt++) {
            Keyring k = reload();
            List<Keyring.Key> rewrapped = new ArrayList<>();
            int changed = 0;
            for (Keyring.Key e : k.keys()) {
                if (!e.masterId().equals(master.activeId())) {
                    changed++;
                }
                rewrapped.add(new Keyring.Key(e.id(), master.activeId(), Aead.seal(master.active(), unwrap(e),
                        aad(e.id()))));
            }
            if (changed == 0 && (k.keys().isEmpty() || master.activeId().equals(k.masterId()))) {
                return 0;
            }
            try {
                committer.commitAndWait(new MetaCommand.RewrapKeyring(k.masterId(), master.activeId(), rewrapped));
                reload();
                return changed;
            } catch (MetadataException.PreconditionFailed e) {
                if (attempt >= RETRIES) {
                    throw new IllegalStateException("the keyring kept changing while it was re-wrapped", e);
                }
            }
        }
    }

    /**
     * Imports the keys of a keyring file kept by an earlier single server ({@code data-dir/keyring}):
     * a key wrapped by another master key than the active one is re-wrapped. Returns how many keys
     * were imported; 0 when metadata already holds a keyring (the file is then left as it is).
     */
    int importFile(List<Keyring.Key> fromFile) {
        requireMaster();
        Keyring k = reload();
        if (!k.keys().isEmpty()) {
            return 0;
        }
        String target = fromFile.stream().map(Keyring.Key::masterId).distinct().count() == 1
                && master.byId(fromFile.get(0).masterId()).isPresent() ? fromFile.get(0).masterId() : master.activeId();
        List<Keyring.Key> keys = new ArrayList<>();
        for (Keyring.Key e : fromFile) {
            keys.add(e.masterId().equals(target) ? e
                    : new Keyring.Key(e.id(), target, Aead.seal(master.byId(target).orElseThrow(), unwrap(e), aad(e.id()))));
        }
        committer.commitAndWait(new MetaCommand.RewrapKeyring(null, target, keys));
        reload();
        return keys.size();
    }

    private void requireMaster() {
        if (!master.present()) {
            throw new IllegalStateException("the keyring needs a master key (--master-key-file or CAIRN_MASTER_KEY)");
        }
    }

    private void requireUsable() {
        requireMaster();
        String problem = mismatch();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    static byte[] aad(String id) {
        return ("cairn keyring key " + id).getBytes(StandardCharsets.UTF_8);
    }
}
