package dev.cairn.metadata;

/**
 * A storage node as the cluster map knows it.
 *
 * @param address             base URL of the node's piece API ("http://host:port"); "local:" for
 *                            chunkstores inside the server process
 * @param zone                failure domain label, "" when none was declared
 * @param capacity            bytes the node offers (0 = unknown/unlimited)
 * @param used                bytes used, as last reported
 * @param pieces              pieces held, as last reported
 * @param lastHeartbeatMillis when the node last reported
 * @param joinedMillis        when the node first joined
 */
public record NodeRecord(String id, String address, String zone, long capacity, long used, long pieces,
                         NodeState state, long lastHeartbeatMillis, long joinedMillis) {

    public NodeRecord withState(NodeState s) {
        return new NodeRecord(id, address, zone, capacity, used, pieces, s, lastHeartbeatMillis, joinedMillis);
    }
}
