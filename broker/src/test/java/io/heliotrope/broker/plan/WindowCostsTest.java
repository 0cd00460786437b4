package io.heliotrope.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The planner scans a job's candidates through cuts of the order (starts before a slot) and skips
 * dead ones through links: whatever is killed, in whatever order, and after a site's update, each
 * cut must list exactly the order's live candidates that start within it, in the order's sequence.
 */
class WindowCostsTest {
  private static final int SITES = 5;
  private static final int SLOTS = 70; // not a multiple of the cut: the last cut is short

  @Test
  void everyCutListsExactlyTheLiveCandidatesOfTheOrderThatStartInIt() {
    SplittableRandom rnd = new SplittableRandom(7);
    WindowCosts wc = new WindowCosts(scores(rnd), 6);
    assertCutsMatch(wc); // nothing dead yet
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < 60; i++) {
        wc.kill(rnd.nextInt(SITES * SLOTS));
      }
      assertCutsMatch(wc);
    }
    // A site's new forecast revives its candidates and re-sorts them among the others (still dead).
    double[] row = new double[SLOTS];
    for (int t = 0; t < SLOTS; t++) {
      row[t] = rnd.nextDouble(10);
    }
    wc.update(2, row);
    for (int t = 0; t < SLOTS; t++) {
      assertTrue(!wc.dead[2 * SLOTS + t], "site 2 is live again after its update");
    }
    assertCutsMatch(wc);
    for (int i = 0; i < 100; i++) {
      wc.kill(rnd.nextInt(SITES * SLOTS));
    }
    assertCutsMatch(wc);
  }

  @Test
  void theOrderIsCheapestFirstAndEachCutStartsAtTheRightSlot() {
    WindowCosts wc = new WindowCosts(scores(new SplittableRandom(3)), 4);
    for (int k = 1; k < wc.order.length; k++) {
      int a = wc.order[k - 1];
      int b = wc.order[k];
      assertTrue(wc.cost[a / SLOTS][a % SLOTS] <= wc.cost[b / SLOTS][b % SLOTS] + 1e-9, "order at " + k);
    }
    assertEquals(0, wc.cutFor(-3));
    assertEquals(0, wc.cutFor(WindowCosts.CUT_SLOTS - 1));
    assertEquals(1, wc.cutFor(WindowCosts.CUT_SLOTS));
    assertEquals(wc.cutFor(SLOTS - 1), wc.cutFor(10 * SLOTS), "a latest start past the horizon scans everything");
    assertEquals(wc.order.length, wc.cut(wc.cutFor(SLOTS - 1)).length);
  }

  private static void assertCutsMatch(WindowCosts wc) {
    for (int c = 0; c <= wc.cutFor(SLOTS - 1); c++) {
      int limit = c == wc.cutFor(SLOTS - 1) ? Integer.MAX_VALUE : (c + 1) * WindowCosts.CUT_SLOTS;
      List<Integer> expected = new ArrayList<>();
      for (int key : wc.order) {
        if (key % SLOTS < limit && !wc.dead[key]) {
          expected.add(key);
        }
      }
      List<Integer> walked = new ArrayList<>();
      int[] cut = wc.cut(c);
      for (int k = wc.live(c, 0); k < cut.length; k = wc.live(c, k + 1)) {
        walked.add(cut[k]);
      }
      assertEquals(expected, walked, "cut " + c);
    }
  }

  private static double[][] scores(SplittableRandom rnd) {
    double[][] s = new double[SITES][SLOTS];
    for (double[] row : s) {
      for (int t = 0; t < SLOTS; t++) {
        row[t] = rnd.nextInt(20); // integers: many equal windows, so ties are exercised
      }
    }
    return s;
  }
}
