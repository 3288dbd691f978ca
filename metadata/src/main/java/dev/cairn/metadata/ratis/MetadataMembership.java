package dev.cairn.metadata.ratis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.ReconfigurationTimeoutException;
import org.apache.ratis.protocol.exceptions.SetConfigurationException;
import org.apache.ratis.retry.ExceptionDependentRetry;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.metadata.ratis.ReplicatedMetadata.PeerStatus;

/**
 * The membership of the metadata group: which peers it has, how far behind each one is as the
 * leader sees it, and adding or removing a peer at run time (a Raft configuration change).
 *
 * <p>Design note. A new peer's server starts with {@code --metadata-join}: its Raft division
 * starts with an empty configuration, so it never campaigns and cannot form a group of its own;
 * it only answers a leader. {@link #add} asks the leader for the configuration with the new peer.
 * Ratis first stages the peer as a non-voting learner - the leader sends it its newest snapshot,
 * then the log, while the old configuration goes on committing alone - and only once it is within
 * {@code raft.server.staging.catchup.gap} entries (1000) commits the joint, then the new
 * configuration; a new peer that makes no progress for three election timeouts fails the change
 * and leaves the group as it was. {@link #remove} first checks that the group left behind is
 * safe - at least {@value #MIN_PEERS} peers, a majority of them answering the leader now - then
 * moves leadership off the peer being removed, then commits the smaller configuration. Both
 * compare against the configuration they read (compare-and-set), so two operators' changes never
 * interleave; one changes at a time.
 */
public final class MetadataMembership {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataMembership.class);
    /** The fewest peers a group keeps: three survive losing one. */
    public static final int MIN_PEERS = 3;
    /** A follower the leader heard from this recently answers. */
    static final long ANSWERING_MILLIS = 5_000;
    /** A member at most this many entries behind the leader's log is caught up. */
    static final long CAUGHT_UP_ENTRIES = 100;
    /** How long a change may take: a new peer's catch-up is a snapshot transfer and a log replay. */
    private static final long CHANGE_TIMEOUT_SECONDS = 600;

    /** A change that would leave the group unsafe or is not possible now; nothing was changed. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** The peer named is not in the group. */
    public static final class NoSuchPeer extends Exception {
        NoSuchPeer(String message) {
            super(message);
        }
    }

    /** Hands leadership to a peer (blocking until it leads or the transfer fails). */
    interface LeaderTransfer {
        void to(String peer) throws IOException;
    }

    /** The group as one server sees it: the leader's view carries each follower's last contact. */
    private record View(String leader, long lastIndex, List<RaftPeer> current, List<RaftPeer> old,
                        Map<String, Long> contact, Map<String, String> followers, Map<String, Long> commits) {
        boolean fromLeader() {
            return contact != null;
        }

        boolean answers(String id) {
            if (id.equals(leader)) {
                return true;
            }
            Long ms = contact == null ? null : contact.get(id);
            return ms != null && ms <= ANSWERING_MILLIS;
        }
    }

    private final RaftServer server;
    private final LeaderTransfer transfer;
    /** Peers this server is adding right now (shown as joining until the change ends). */
    private final Map<String, String> adding = new ConcurrentHashMap<>();

    MetadataMembership(RaftServer server, LeaderTransfer transfer) {
        this.server = server;
        this.transfer = transfer;
    }

    private RaftServer.Division division() throws IOException {
        return server.getDivision(ReplicatedMetadata.GROUP_ID);
    }

    /** Whether this server's peer is in the group's configuration (a joining server is not yet). */
    boolean isMember() {
        try {
            RaftServer.Division d = division();
            if (!d.getInfo().isAlive()) {
                return false;
            }
            RaftPeerId self = d.getId();
            return d.getRaftConf().getCurrentPeers().stream().anyMatch(p -> p.getId().equals(self));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether this server's peer still runs (the leader shuts down the peer of a removed server). */
    boolean isRunning() {
        try {
            return division().getInfo().isAlive();
        } catch (IOException e) {
            return false;
        }
    }

    /** The peers by id, in configuration order. */
    List<String> memberIds() throws IOException {
        return division().getRaftConf().getCurrentPeers().stream().map(p -> p.getId().toString()).toList();
    }

    /**
     * Every peer with its role (leader, follower, joining, leaving), commit index, lag and whether it
     * is caught up: as the leader sees it when {@code askLeader} and a leader is known (asked over
     * Raft when it is another server), else as this server sees it.
     */
    List<PeerStatus> peers(boolean askLeader) throws IOException {
        RaftServer.Division d = division();
        View view = null;
        if (d.getInfo().isLeader()) {
            view = localView(d, true);
        } else if (askLeader && d.getInfo().getLeaderId() != null) {
            try {
                view = leaderView(d, d.getInfo().getLeaderId());
            } catch (IOException | RuntimeException e) {
                LOG.info("asking metadata leader {} for its view of the peers failed: {}", d.getInfo().getLeaderId(),
                        e.toString());
            }
        }
        return statuses(view == null ? localView(d, false) : view);
    }

    private List<PeerStatus> statuses(View v) {
        Map<String, PeerStatus> out = new LinkedHashMap<>();
        for (RaftPeer p : v.current()) {
            String id = p.getId().toString();
            out.put(id, status(v, id, p.getAddress(), id.equals(v.leader()) ? "leader" : "follower"));
        }
        for (RaftPeer p : v.old()) {
            out.putIfAbsent(p.getId().toString(), status(v, p.getId().toString(), p.getAddress(), "leaving"));
        }
        v.followers().forEach((id, address) -> out.putIfAbsent(id, status(v, id, address, "joining")));
        adding.forEach((id, address) -> out.putIfAbsent(id, status(v, id, address, "joining")));
        return List.copyOf(out.values());
    }

    private static PeerStatus status(View v, String id, String address, String role) {
        long commit = v.commits().getOrDefault(id, -1L);
        long lag = commit < 0 ? -1 : Math.max(0, v.lastIndex() - commit);
        long contact = id.equals(v.leader()) ? 0 : v.contact() == null ? -1 : v.contact().getOrDefault(id, -1L);
        boolean caughtUp = !role.equals("joining") && commit >= 0 && lag <= CAUGHT_UP_ENTRIES
                && (!v.fromLeader() || v.answers(id));
        return new PeerStatus(id, address, role, commit, lag, contact, caughtUp);
    }

    /** This server's view; with the follower contacts when it leads. */
    private static View localView(RaftServer.Division d, boolean leading) {
        TermIndex last = d.getRaftLog().getLastEntryTermIndex();
        RaftPeerId leaderId = d.getInfo().getLeaderId();
        Map<String, Long> contact = null;
        Map<String, String> followers = new HashMap<>();
        if (leading) {
            contact = new HashMap<>();
            RoleInfoProto role = d.getInfo().getRoleInfoProto();
            if (role.hasLeaderInfo()) {
                for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
                    contact.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
                    followers.put(f.getId().getId().toStringUtf8(), f.getId().getAddress());
                }
            }
        }
        return new View(leaderId == null ? null : leaderId.toString(), last == null ? 0 : last.getIndex(),
                List.copyOf(d.getRaftConf().getCurrentPeers()), List.copyOf(d.getRaftConf().getPreviousPeers()),
                contact, followers, commits(d.getCommitInfos()));
    }

    /** The leader's view, asked over Raft. */
    private View leaderView(RaftServer.Division d, RaftPeerId leader) throws IOException {
        try (RaftClient c = client(d.getRaftConf().getCurrentPeers(), leader, 5, 1)) {
            GroupInfoReply info = c.getGroupManagementApi(leader).info(ReplicatedMetadata.GROUP_ID);
            RoleInfoProto role = info.getRoleInfoProto();
            if (role.getRole() != RaftPeerRole.LEADER || !role.hasLeaderInfo()) {
                throw new IOException(leader + " no longer leads");
            }
            Map<String, Long> contact = new HashMap<>();
            Map<String, String> followers = new HashMap<>();
            for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
                contact.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
                followers.put(f.getId().getId().toStringUtf8(), f.getId().getAddress());
            }
            // the gRPC reply may leave the configuration out; the group then holds its peers (a
            // change under way shows as one group: Ratis refuses a second change meanwhile anyway)
            RaftConfigurationProto conf = info.getConf().orElse(null);
            List<RaftPeer> current = conf != null && conf.getPeersCount() > 0 ? peers(conf.getPeersList())
                    : List.copyOf(info.getGroup().getPeers());
            List<RaftPeer> old = conf == null ? List.of() : peers(conf.getOldPeersList());
            return new View(leader.toString(), info.getLogInfoProto().getLastEntry().getIndex(), current, old,
                    contact, followers, commits(info.getCommitInfos()));
        }
    }

    private static List<RaftPeer> peers(List<RaftPeerProto> protos) {
        return protos.stream().map(p -> RaftPeer.newBuilder().setId(p.getId().toStringUtf8())
                .setAddress(p.getAddress()).build()).toList();
    }

    private static Map<String, Long> commits(Collection<CommitInfoProto> infos) {
        Map<String, Long> out = new HashMap<>();
        for (CommitInfoProto ci : infos) {
            out.merge(ci.getServer().getId().toStringUtf8(), ci.getCommitIndex(), Math::max);
        }
        return out;
    }

    /** The leader's view, from here or over Raft; IOException when the group has no leader now. */
    private View requireLeaderView() throws IOException {
        RaftServer.Division d = division();
        if (d.getInfo().isLeader()) {
            return localView(d, true);
        }
        RaftPeerId leader = d.getInfo().getLeaderId();
        if (leader == null) {
            throw new IOException("the metadata group has no leader now (a majority of its peers must be up)");
        }
        return leaderView(d, leader);
    }

    /**
     * Adds peer {@code id} at {@code host:port} (its server started with {@code --metadata-join});
     * returns once it is a voting member. Adding a member again at the same address does nothing.
     */
    List<PeerStatus> add(String id, String host, int port) throws IOException, Refused {
        MetadataPeers.checkId(id);
        String address = host + ":" + port;
        View v = requireLeaderView();
        if (!v.old().isEmpty() || !v.followers().keySet().stream().allMatch(f -> has(v.current(), f))) {
            throw new Refused("a membership change is in progress (" + ids(v.old()) + " -> " + ids(v.current())
                    + "): wait for it to end");
        }
        for (RaftPeer p : v.current()) {
            if (p.getId().toString().equals(id)) {
                if (p.getAddress().equals(address)) {
                    return peers(true);
                }
                throw new Refused("metadata peer " + id + " is already a member at " + p.getAddress()
                        + " (remove it first to move it)");
            }
            if (p.getAddress().equals(address)) {
                throw new Refused(address + " is already the address of metadata peer " + p.getId());
            }
        }
        List<RaftPeer> next = new ArrayList<>(v.current());
        next.add(RaftPeer.newBuilder().setId(id).setAddress(address).build());
        LOG.info("adding metadata peer {} at {}: {} -> {}", id, address, ids(v.current()), ids(next));
        adding.put(id, address);
        try {
            change(v, next, "adding metadata peer " + id + " at " + address
                    + " (is its server running with --metadata-join and reachable there?)");
        } finally {
            adding.remove(id);
        }
        return peers(true);
    }

    /**
     * Removes peer {@code id}, moving leadership off it first when it leads. Refused when fewer
     * than {@value #MIN_PEERS} peers would remain or when the peers that remain do not have a
     * majority answering the leader now (the group could commit nothing after the change).
     */
    List<PeerStatus> remove(String id) throws IOException, Refused, NoSuchPeer {
        final View before = requireLeaderView();
        if (!before.old().isEmpty()) {
            throw new Refused("a membership change is in progress (" + ids(before.old()) + " -> "
                    + ids(before.current()) + "): wait for it to end");
        }
        if (!has(before.current(), id)) {
            throw new NoSuchPeer("no metadata peer " + id + " (the peers are " + ids(before.current()) + ")");
        }
        List<RaftPeer> next = before.current().stream().filter(p -> !p.getId().toString().equals(id)).toList();
        if (next.size() < MIN_PEERS) {
            throw new Refused("removing " + id + " would leave " + next.size() + " metadata peers: a group needs at least "
                    + MIN_PEERS + " to keep a majority when one fails (add a peer first)");
        }
        List<String> answering = next.stream().map(p -> p.getId().toString()).filter(before::answers).toList();
        if (answering.size() <= next.size() / 2) {
            throw new Refused("removing " + id + " would leave " + ids(next) + ", of which only " + answering
                    + " answer the leader: not a majority, so the group could commit nothing (bring the others back "
                    + "first)");
        }
        View v = before;
        if (id.equals(before.leader())) {
            String to = answering.stream().max(java.util.Comparator.comparingLong(
                    p -> before.commits().getOrDefault(p, -1L))).orElseThrow();
            LOG.info("metadata peer {} to be removed leads: handing leadership to {} first", id, to);
            transfer.to(to);
            v = awaitLeaderOtherThan(id);
        }
        LOG.info("removing metadata peer {}: {} -> {}", id, ids(v.current()), ids(next));
        change(v, next, "removing metadata peer " + id);
        return peers(true);
    }

    /** The leader's view once a peer other than {@code id} leads (this server may hear of it late). */
    private View awaitLeaderOtherThan(String id) throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                View v = requireLeaderView();
                if (!id.equals(v.leader())) {
                    return v;
                }
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
            }
            if (System.nanoTime() > until) {
                throw new IOException("leadership did not move off " + id + " within 15 s; try again");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for leadership to move off " + id, e);
            }
        }
    }

    /** Commits {@code next} in place of {@code v.current()}, compare-and-set; a lost reply is checked against the result. */
    private void change(View v, List<RaftPeer> next, String what) throws IOException {
        SetConfigurationRequest.Arguments args = SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(next)
                .setServersInCurrentConf(v.current())
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .build();
        List<RaftPeer> all = new ArrayList<>(v.current());
        next.stream().filter(p -> !has(v.current(), p.getId().toString())).forEach(all::add);
        RaftPeerId leader = v.leader() == null ? null : RaftPeerId.valueOf(v.leader());
        Exception failure;
        try (RaftClient c = client(all, leader, CHANGE_TIMEOUT_SECONDS, 5)) {
            RaftClientReply reply = c.admin().setConfiguration(args);
            if (reply.isSuccess()) {
                return;
            }
            failure = reply.getException();
        } catch (IOException e) {
            failure = e;
        }
        // a retried request after the change committed finds the configuration already changed
        View now = requireLeaderView();
        if (now.old().isEmpty() && ids(now.current()).equals(ids(next))) {
            return;
        }
        throw new IOException(what + " failed: " + failure, failure);
    }

    private static RaftClient client(Collection<RaftPeer> peers, RaftPeerId leader, long timeoutSeconds, int retries) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeoutSeconds, TimeUnit.SECONDS));
        // retried to find the leader; a change the leader refused or gave up on is not retried
        RetryPolicy retry = ExceptionDependentRetry.newBuilder()
                .setDefaultPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(retries,
                        TimeDuration.valueOf(500, TimeUnit.MILLISECONDS)))
                .setExceptionToPolicy(ReconfigurationTimeoutException.class, RetryPolicies.noRetry())
                .setExceptionToPolicy(SetConfigurationException.class, RetryPolicies.noRetry())
                .build();
        RaftClient.Builder b = RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(RaftGroup.valueOf(ReplicatedMetadata.GROUP_ID, peers))
                .setProperties(p)
                .setRetryPolicy(retry);
        if (leader != null) {
            b.setLeaderId(leader);
        }
        return b.build();
    }

    private static boolean has(List<RaftPeer> peers, String id) {
        return peers.stream().anyMatch(p -> p.getId().toString().equals(id));
    }

    private static List<String> ids(List<RaftPeer> peers) {
        return peers.stream().map(p -> p.getId().toString()).sorted().toList();
    }
}
