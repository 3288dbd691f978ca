package dev.cairn.placement.storage;

import dev.cairn.metadata.Protection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProtectionPolicyTest {

    @ParameterizedTest(name = "{0} nodes -> {1}")
    @CsvSource({"1, 1 copy", "2, 2 copies", "3, 3 copies", "4, 3 copies", "5, RS 3+2", "6, RS 4+2", "12, RS 4+2"})
    void automaticProtectionFollowsTheNodeCount(int nodes, String expected) {
        assertEquals(expected, ProtectionPolicy.automatic().forNodes(nodes).describe());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rs4+2, RS 4+2", "RS 6+3, RS 6+3", "rs-2+1, RS 2+1", "3copies, 3 copies", "1copy, 1 copy",
            "2-copies, 2 copies"})
    void parsesOperatorSettings(String text, String expected) {
        assertEquals(expected, ProtectionPolicy.parse(text).forNodes(1).describe());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ProtectionPolicy.parse("raid5"));
        assertThrows(IllegalArgumentException.class, () -> ProtectionPolicy.automatic().withClasses("GLACIER"));
        assertThrows(IllegalArgumentException.class, () -> ProtectionPolicy.automatic().withClasses("GLACIER=auto"));
    }

    @Test
    void storageClassesMapOntoTheirOwnProtection() {
        ProtectionPolicy p = ProtectionPolicy.automatic().withClasses("reduced_redundancy=2copies, STANDARD_IA=rs6+3");
        assertEquals(Protection.replicas(2), p.forClass("REDUCED_REDUNDANCY", 8));
        assertEquals(Protection.erasure(6, 3), p.forClass("STANDARD_IA", 8));
        assertEquals(Protection.erasure(4, 2), p.forClass("STANDARD", 8));
        assertEquals(Protection.erasure(4, 2), p.forClass(null, 8));
    }

    @ParameterizedTest(name = "{0} -> write quorum {1}")
    @CsvSource({"rs4+2, 5", "rs3+2, 4", "rs2+1, 3", "rs4+0, 4", "3copies, 2", "1copy, 1", "2copies, 2"})
    void writeQuorumIsKPlusOneOrAMajority(String protection, int quorum) {
        assertEquals(quorum, ProtectionPolicy.writeQuorum(ProtectionPolicy.parse(protection).forNodes(1)));
    }
}
