package dev.cairn.chunkstore.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GaloisFieldTest {

    @Test
    void multiplicationMatchesShiftAndAddReferenceForAllPairs() {
        for (int a = 0; a < 256; a++) {
            byte[] row = GaloisField.mulTable(a);
            for (int b = 0; b < 256; b++) {
                int expected = ReferenceReedSolomon.mul(a, b);
                assertEquals(expected, GaloisField.mul(a, b), a + "*" + b);
                assertEquals(expected, row[b] & 0xFF, "table " + a + "*" + b);
            }
        }
    }

    @Test
    void everyNonZeroElementHasAnInverse() {
        for (int a = 1; a < 256; a++) {
            assertEquals(1, GaloisField.mul(a, GaloisField.inv(a)), "a * inv(a) for a=" + a);
            assertEquals(GaloisField.inv(a), ReferenceReedSolomon.inv(a));
        }
        assertThrows(ArithmeticException.class, () -> GaloisField.inv(0));
    }

    @Test
    void twoGeneratesTheMultiplicativeGroup() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 255; i++) {
            seen.add(GaloisField.exp(i));
            assertEquals(i, GaloisField.log(GaloisField.exp(i)));
        }
        assertEquals(255, seen.size());
        assertEquals(1, GaloisField.exp(255));
    }

    @Test
    void fieldLawsOnRandomSamples() {
        Random random = new Random(0x6F1E1DL);
        for (int i = 0; i < 100_000; i++) {
            int a = random.nextInt(256);
            int b = random.nextInt(256);
            int c = random.nextInt(256);
            assertEquals(GaloisField.mul(a, b ^ c), GaloisField.mul(a, b) ^ GaloisField.mul(a, c),
                    "distributive");
            assertEquals(GaloisField.mul(a, b), GaloisField.mul(b, a), "commutative");
            assertEquals(GaloisField.mul(GaloisField.mul(a, b), c),
                    GaloisField.mul(a, GaloisField.mul(b, c)), "associative");
            if (b != 0) {
                assertEquals(a, GaloisField.mul(GaloisField.div(a, b), b), "division");
            }
        }
    }

    @Test
    void powersFollowTheVandermondeConvention() {
        assertEquals(1, GaloisField.pow(0, 0));
        assertEquals(0, GaloisField.pow(0, 3));
        for (int a = 1; a < 256; a++) {
            int expected = 1;
            for (int n = 0; n < 10; n++) {
                assertEquals(expected, GaloisField.pow(a, n), a + "^" + n);
                expected = ReferenceReedSolomon.mul(expected, a);
            }
        }
    }
}
