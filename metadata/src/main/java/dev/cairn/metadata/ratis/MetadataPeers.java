package dev.cairn.metadata.ratis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata peers of a replicated cluster, from {@code a=host1:9400,b=host2:9400,c=host3:9400}:
 * each an id (letters, digits, '-' and '_') and the host:port its Raft endpoint listens on.
 */
public record MetadataPeers(List<Peer> peers) {

    /** One peer: its id and Raft address. */
    public record Peer(String id, String host, int port) {
        public String address() {
            return host + ":" + port;
        }
    }

    public MetadataPeers {
        peers = List.copyOf(peers);
    }

    /**
     * Parses a peer list.
     *
     * @throws IllegalArgumentException naming what is wrong: a malformed entry, a repeated id, or
     *                                  fewer than three peers (a two-peer group stops when either fails)
     */
    public static MetadataPeers parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no metadata peers given");
        }
        Map<String, Peer> byId = new LinkedHashMap<>();
        for (String raw : spec.split(",")) {
            Peer peer = parsePeer(raw);
            if (byId.put(peer.id(), peer) != null) {
                throw new IllegalArgumentException("metadata peer id '" + peer.id() + "' appears twice");
            }
        }
        if (byId.size() < 3) {
            throw new IllegalArgumentException("replicated metadata needs at least 3 peers, got " + byId.size()
                    + " (run a single server without --metadata-peers instead)");
        }
        return new MetadataPeers(new ArrayList<>(byId.values()));
    }

    /**
     * Parses one peer, {@code id=host:port}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Peer parsePeer(String raw) {
        String entry = raw == null ? "" : raw.trim();
        int eq = entry.indexOf('=');
        int colon = entry.lastIndexOf(':');
        if (eq <= 0 || colon <= eq + 1 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("metadata peer '" + entry + "' is not id=host:port");
        }
        String id = entry.substring(0, eq);
        checkId(id);
        int port;
        try {
            port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata peer '" + entry + "' has no valid port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("metadata peer '" + entry + "' has port out of range");
        }
        return new Peer(id, entry.substring(eq + 1, colon), port);
    }

    /** Checks a peer id: letters, digits, '-' and '_'. */
    public static String checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("metadata peer id '" + id + "' may hold only letters, digits, '-' and '_'");
        }
        return id;
    }

    public Optional<Peer> find(String id) {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The peer {@code id}, or IllegalArgumentException listing the known ids. */
    public Peer self(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("--metadata-id '" + id
                + "' is not one of the metadata peers " + peers.stream().map(Peer::id).toList()));
    }
}
