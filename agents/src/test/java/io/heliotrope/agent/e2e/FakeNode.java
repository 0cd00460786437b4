package io.heliotrope.agent.e2e;

import io.heliotrope.agent.testing.FakeTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A node's /sys and /proc for a real agent process: two RAPL packages the test advances by known
 * joules, a cgroup v1 tree with a Heliotrope pod and a warm-up pod, and a process per pod whose
 * environment names its job. CPU time is given only to the job's pod, and faster than the node's
 * busy time, so the agent attributes all dynamic power to it (pods' sum is then the denominator).
 */
final class FakeNode {
  private static final String PC = "sys/class/powercap/";
  private static final String PODS = "sys/fs/cgroup/cpu,cpuacct/kubepods/burstable/";

  final Path root;
  private long raplMicrojoules = 1_000_000;
  private long podNanos;
  private long nodeTicks;

  FakeNode(Path root, String jobId, String warmJobId) throws IOException {
    this.root = root;
    FakeTree.copyOf("rapl-intel", root);
    // Only package-0 moves; the other zones stay constant, so their deltas are zero.
    pod("pod11111111-1111-4111-8111-111111111111", 4242, jobId);
    pod("pod22222222-2222-4222-8222-222222222222", 4343, warmJobId);
    advanceCpu(0);
  }

  private void pod(String dir, int pid, String jobId) throws IOException {
    Path pod = Files.createDirectories(root.resolve(PODS + dir));
    Files.writeString(pod.resolve("cpuacct.usage"), "0\n");
    Path container = Files.createDirectories(pod.resolve("c0ffee" + pid));
    Files.writeString(container.resolve("cgroup.procs"), pid + "\n");
    Path proc = Files.createDirectories(root.resolve("proc/" + pid));
    Files.writeString(proc.resolve("environ"), "PATH=/usr/bin\0HELIOTROPE_JOB_ID=" + jobId + "\0HOME=/\0");
  }

  /** CPU time moves on: the job's pod gets twice the node's busy time (see the class comment). */
  synchronized void advanceCpu(long millis) {
    nodeTicks += millis / 10; // USER_HZ = 100
    podNanos += 2 * millis * 1_000_000L;
    write(PODS + "pod11111111-1111-4111-8111-111111111111/cpuacct.usage", Long.toString(podNanos));
    write("proc/stat", "cpu  " + nodeTicks + " 0 0 1000000 0 0 0 0 0 0\n");
  }

  /** The package-0 counter moves by {@code joules}. */
  synchronized void advanceEnergy(double joules) {
    raplMicrojoules += Math.round(joules * 1e6);
    write(PC + "intel-rapl:0/energy_uj", Long.toString(raplMicrojoules));
  }

  private void write(String relative, String content) {
    Path target = root.resolve(relative);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, content + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
