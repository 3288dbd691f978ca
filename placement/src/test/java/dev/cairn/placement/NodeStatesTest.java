package dev.cairn.placement;

import dev.cairn.metadata.NodeState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeStatesTest {
    private static final MembershipSettings S = MembershipSettings.of(Duration.ofSeconds(5), Duration.ofSeconds(15));

    @ParameterizedTest(name = "{0} silent {1} ms -> {2}")
    @CsvSource({
            "UP, 0, UP",
            "UP, 7499, UP",
            "UP, 7500, SUSPECT",
            "SUSPECT, 14999, SUSPECT",
            "SUSPECT, 15000, DOWN",
            "UP, 60000, DOWN",
            "DOWN, 0, DOWN",
            "DRAINING, 60000, DRAINING",
            "REMOVED, 60000, REMOVED",
    })
    void heartbeatSilenceMovesTheState(NodeState from, long silentMillis, NodeState to) {
        assertEquals(to, NodeStates.next(from, 1_000_000, 1_000_000 + silentMillis, S));
    }

    @ParameterizedTest
    @CsvSource({"UP, UP", "SUSPECT, UP", "DOWN, UP", "DRAINING, DRAINING", "REMOVED, REMOVED"})
    void aHeartbeatBringsSilentNodesBackButNotOperatorStates(NodeState from, NodeState to) {
        assertEquals(to, NodeStates.onHeartbeat(from));
    }
}
