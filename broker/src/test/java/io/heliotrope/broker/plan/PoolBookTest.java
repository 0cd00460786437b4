package io.heliotrope.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.NodePool;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolBookTest {
  private static final int[] GANG_4X8 = {8, 8, 8, 8};

  @Test
  void aGangNeedsNodesWithRoomForEachPodNotASum() {
    PoolBook b = new PoolBook(List.of(new NodePool("h100", "NVIDIA-H100-80GB-HBM3", 8, 8, 64)), 4);
    // A 5-GPU pod on every node: 24 GPUs free, but no node with more than 3.
    for (int i = 0; i < 8; i++) {
      b.reserve(0, 0, 4, new int[] {5});
    }
    assertEquals(24, b.freeGpus(0, 0));
    assertEquals(-1, b.poolFor(0, 4, new int[] {8, 8, 8}, ""));
    assertEquals(0, b.firstShortSlot(0, 4, new int[] {8, 8, 8}, ""));
    // 3-GPU pods still fit: one per node.
    assertEquals(0, b.poolFor(0, 4, new int[] {3, 3, 3, 3, 3, 3, 3, 3}, ""));
    assertEquals(-1, b.poolFor(0, 4, new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3}, ""));
  }

  @Test
  void reserveAndReleaseKeepEveryNodeWithinItsSizeAndTheTotalExact() {
    PoolBook b = new PoolBook(List.of(new NodePool("p", "A40", 4, 8, 32)), 3);
    b.reserve(0, 1, 3, GANG_4X8);
    assertEquals(0, b.freeGpus(0, 1));
    assertEquals(32, b.freeGpus(0, 0), "slot 0 was not booked");
    assertEquals(1, b.firstShortSlot(0, 3, new int[] {1}, ""));
    b.release(0, 1, 3, GANG_4X8);
    assertEquals(0, b.poolFor(0, 3, GANG_4X8, ""));
    // Mixed pods best-fit: a 6 and a 2 share a node, leaving three whole nodes for a 3x8 gang.
    b.reserve(0, 0, 3, new int[] {6, 2});
    assertEquals(0, b.poolFor(0, 3, new int[] {8, 8, 8}, ""));
    assertEquals(-1, b.poolFor(0, 3, GANG_4X8, ""));
  }

  @Test
  void onlyPoolsOfTheAskedModelCount() {
    PoolBook b = new PoolBook(List.of(new NodePool("a40", "NVIDIA-A40", 4, 8, 32),
        new NodePool("h100", "NVIDIA-H100-80GB-HBM3", 4, 8, 32)), 2);
    assertEquals(1, b.poolFor(0, 2, GANG_4X8, "H100"));
    assertEquals(0, b.poolFor(0, 2, GANG_4X8, ""));
    assertEquals(-1, b.poolFor(0, 2, GANG_4X8, "B200"));
    assertFalse(b.everFits(new int[] {16}, ""), "a 16-GPU pod never fits an 8-GPU node");
    assertTrue(b.everFits(GANG_4X8, "a40"));
    assertFalse(b.everFits(new int[] {8, 8, 8, 8, 8}, "H100"), "five nodes needed, four there");
  }
}
