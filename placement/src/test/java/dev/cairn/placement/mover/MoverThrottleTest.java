package dev.cairn.placement.mover;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoverThrottleTest {

    @Test
    void aMoveWaitsForASlotOnEveryNodeItTouchesAndARaisedLimitLetsItGo() throws Exception {
        MoverThrottle t = new MoverThrottle(1L << 30, 1);
        t.acquire(List.of("a", "b"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch got = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                started.countDown();
                t.acquire(List.of("b", "c"));
                got.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        started.await();
        assertFalse(got.await(300, TimeUnit.MILLISECONDS), "node b is at its limit of 1");
        t.set(0, 2);
        assertTrue(got.await(5, TimeUnit.SECONDS), "raising the limit at run time releases the waiter");
        assertEquals(2, t.movesPerNode());
        t.release(List.of("a", "b"));
        t.release(List.of("b", "c"));
        waiter.join();
    }

    @Test
    void theByteRateHoldsMovesBackAfterAOneSecondBurst() throws Exception {
        MoverThrottle t = new MoverThrottle(10L << 20, 2);
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            t.takeBytes(1L << 20); // 20 MiB at 10 MiB/s: one second of burst, then about one second of waiting
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds > 0.7 && seconds < 3, "took " + seconds + " s");
        t.set(1L << 40, 0);
        long t1 = System.nanoTime();
        t.takeBytes(1L << 20);
        assertTrue((System.nanoTime() - t1) / 1e9 < 1.5, "a raised rate applies to the next move");
    }
}
