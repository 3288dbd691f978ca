package dev.cairn.s3.data;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.metadata.Protection;
import dev.cairn.placement.Rendezvous;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chunkstore nodes the gateway writes to and reads from, and the protection new chunks get.
 * In the embedded server these are in-process stores; the distributed cluster map replaces this
 * with live membership.
 */
public final class NodeSet {
    private final Map<String, ChunkStoreClient> clients = new LinkedHashMap<>();
    private final Protection protection;

    public NodeSet(List<ChunkStoreClient> nodes, Protection protection) {
        for (ChunkStoreClient c : nodes) {
            clients.put(c.nodeId(), c);
        }
        if (protection.totalPieces() > clients.size()) {
            throw new IllegalArgumentException(protection.describe() + " needs " + protection.totalPieces()
                    + " nodes, have " + clients.size());
        }
        this.protection = protection;
    }

    public Protection protection() {
        return protection;
    }

    public Optional<ChunkStoreClient> client(String nodeId) {
        return Optional.ofNullable(clients.get(nodeId));
    }

    public List<ChunkStoreClient> all() {
        return List.copyOf(clients.values());
    }

    /** The nodes that should hold the pieces of a chunk, piece 0 first. */
    public List<ChunkStoreClient> placementFor(byte[] chunkId, int pieces) {
        List<Rendezvous.Candidate> candidates = new ArrayList<>();
        for (String id : clients.keySet()) {
            candidates.add(new Rendezvous.Candidate(id, 1.0));
        }
        List<ChunkStoreClient> out = new ArrayList<>();
        for (String id : Rendezvous.choose(chunkId, candidates, pieces)) {
            out.add(clients.get(id));
        }
        return out;
    }

    public void close() {
        clients.values().forEach(ChunkStoreClient::close);
    }
}
