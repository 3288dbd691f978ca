package dev.cairn.chunkstore.node;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * The body a node POSTs to {@code {joinUrl}/cluster/v1/heartbeat}, signed with {@link ClusterAuth}:
 *
 * <pre>
 * {"nodeId":"node-1a2b3c4d5e6f","address":"http://10.0.0.7:9100","zone":"eu-1a" | null,
 *  "capacity":N (0 = unlimited),"used":N,"pieces":N,"version":1}
 * </pre>
 *
 * The server verifies the signature over the raw body, then {@link #parse}s it.
 */
public record HeartbeatMessage(String nodeId, String address, String zone, long capacity, long used, long pieces,
                               int version) {
    public static final int VERSION = 1;
    public static final String PATH = "/cluster/v1/heartbeat";

    private static final Pattern ADDRESS = Pattern.compile("https?://[^/?#\\s]+");

    public JsonObject toJson() {
        return new JsonObject()
                .put("nodeId", nodeId)
                .put("address", address)
                .put("zone", zone)
                .put("capacity", capacity)
                .put("used", used)
                .put("pieces", pieces)
                .put("version", version);
    }

    /**
     * Parses and validates a heartbeat body.
     *
     * @throws IllegalArgumentException when it is not JSON, lacks a field, has a node id that
     *                                  {@link NodeIdentity#isValid} rejects, an address that is not
     *                                  {@code http(s)://host:port}, or a negative number
     */
    public static HeartbeatMessage parse(String body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException e) {
            throw new IllegalArgumentException("heartbeat is not a JSON object", e);
        }
        try {
            String nodeId = json.getString("nodeId");
            String address = json.getString("address");
            Long capacity = json.getLong("capacity");
            Long used = json.getLong("used");
            Long pieces = json.getLong("pieces");
            Integer version = json.getInteger("version");
            if (nodeId == null || address == null || capacity == null || used == null || pieces == null
                    || version == null) {
                throw new IllegalArgumentException("heartbeat lacks a field");
            }
            if (!NodeIdentity.isValid(nodeId)) {
                throw new IllegalArgumentException("bad node id in heartbeat");
            }
            if (!ADDRESS.matcher(address).matches()) {
                throw new IllegalArgumentException("bad address in heartbeat: " + address);
            }
            if (capacity < 0 || used < 0 || pieces < 0 || version < 1) {
                throw new IllegalArgumentException("negative number in heartbeat");
            }
            return new HeartbeatMessage(nodeId, address, json.getString("zone"), capacity, used, pieces, version);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("malformed heartbeat: " + e.getMessage(), e);
        }
    }
}
