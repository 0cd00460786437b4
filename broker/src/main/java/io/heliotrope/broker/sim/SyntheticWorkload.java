package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.ContainerSpec;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Gang;
import io.heliotrope.broker.domain.GangRole;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.NodePool;
import io.heliotrope.broker.domain.Preference;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.domain.Workload;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.plan.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A synthetic planning problem for benchmarks: data centres with daily carbon and price shapes at
 * different phases and levels, and pending jobs of 1-8 GPUs, 15 minutes to 12 hours, with 0-36
 * hours of slack; capacity sized so that about half of it is used over the horizon.
 */
public final class SyntheticWorkload {
  private SyntheticWorkload() {}

  public static Snapshot snapshot(Instant now, PlannerSettings cfg, int jobs, int sites, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Job> list = new ArrayList<>(jobs);
    long gpuSlots = 0;
    for (int i = 0; i < jobs; i++) {
      Job j = job(now, cfg, "j" + i, rnd.nextLong());
      list.add(j);
      gpuSlots += (long) j.spec().resources().gpus() * (j.spec().estimatedDuration().toSeconds() / cfg.slotSeconds());
    }
    int gpusPerSite = (int) Math.max(8, 2 * gpuSlots / ((long) cfg.slots() * sites));
    List<Site> out = new ArrayList<>();
    for (int s = 0; s < sites; s++) {
      out.add(site(cfg, "dc-" + s, "region-" + (s % 5), s, gpusPerSite, 0));
    }
    return new Snapshot(now, now, cfg, out, list);
  }

  /**
   * As {@link #snapshot}, with gang jobs (1-4 pods of 1, 2, 4 or 8 GPUs; a quarter ask for H100)
   * and sites whose GPUs are node pools: half H100 nodes of 8 GPUs, half A40 nodes of 4.
   */
  public static Snapshot gangSnapshot(Instant now, PlannerSettings cfg, int jobs, int sites, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Job> list = new ArrayList<>(jobs);
    long gpuSlots = 0;
    for (int i = 0; i < jobs; i++) {
      Job j = gangJob(now, "g" + i, rnd.nextLong());
      list.add(j);
      gpuSlots += (long) j.spec().resources().gpus() * (j.spec().estimatedDuration().toSeconds() / cfg.slotSeconds());
    }
    int gpusPerSite = (int) Math.max(16, 2 * gpuSlots / ((long) cfg.slots() * sites)) / 16 * 16;
    List<Site> out = new ArrayList<>();
    for (int s = 0; s < sites; s++) {
      Site plain = site(cfg, "dc-" + s, "region-" + (s % 5), s, gpusPerSite, 0);
      List<NodePool> pools = List.of(new NodePool("h100", "NVIDIA-H100-80GB-HBM3", gpusPerSite / 16, 8, gpusPerSite / 2),
          new NodePool("a40", "NVIDIA-A40", gpusPerSite / 8, 4, gpusPerSite / 2));
      out.add(new Site(plain.dataCenter(), true, "", plain.carbon(), plain.priceUsd(), plain.priceLocal(), "USD",
          plain.powerCapKw(), false, "", pools));
    }
    return new Snapshot(now, now, cfg, out, list);
  }

  public static Job gangJob(Instant now, String id, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Duration d = Duration.ofMinutes(15L * (1 + rnd.nextInt(48)));
    Duration slack = Duration.ofMinutes(15L * rnd.nextInt(145));
    boolean flexible = rnd.nextInt(3) == 0;
    int pods = 1 + rnd.nextInt(4);
    int gpus = 1 << rnd.nextInt(4);
    Gang gang = new Gang(List.of(new GangRole("worker", pods, new Resources(gpus, 8000L * gpus, 65536L * gpus),
        Map.of(), "synthetic")));
    JobSpec spec = new JobSpec(id, "team-" + rnd.nextInt(20), gang.total(), d, Optional.empty(),
        now.plus(d).plus(slack).plus(Duration.ofMinutes(30)), flexible, flexible, List.of(), ContainerSpec.none(),
        Optional.empty(), Preference.DEFAULT, 0, Map.of(), "",
        Optional.of(new Workload("kubeflow.org/v1", "PyTorchJob", "{}", gang)), rnd.nextInt(4) == 0 ? "H100" : "");
    return Job.submitted(id, id, spec, now, "accepted");
  }

  public static Job job(Instant now, PlannerSettings cfg, String id, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Duration d = Duration.ofMinutes(15L * (1 + rnd.nextInt(48)));
    Duration slack = Duration.ofMinutes(15L * rnd.nextInt(145));
    boolean flexible = rnd.nextInt(3) == 0;
    JobSpec spec = new JobSpec(id, "team-" + rnd.nextInt(20), new Resources(1 + rnd.nextInt(8), 8000, 65536), d,
        Optional.empty(), now.plus(d).plus(slack).plus(Duration.ofMinutes(30)), flexible, flexible, List.of(),
        ContainerSpec.none(), Optional.empty(), Preference.DEFAULT, 0, Map.of(), "");
    return Job.submitted(id, id, spec, now, "accepted");
  }

  /** The same site with its signals moved by {@code hours} (a new forecast for its zone). */
  public static Site shifted(Site s, int hours) {
    int by = hours * 4;
    return new Site(s.dataCenter(), s.available(), s.unavailableReason(), rotate(s.carbon(), by),
        rotate(s.priceUsd(), by), rotate(s.priceLocal(), by), s.currency(), s.powerCapKw(), false, "", s.nodePools());
  }

  private static Site site(PlannerSettings cfg, String name, String region, int index, int gpus, int shiftSlots) {
    int n = cfg.slots();
    double[] carbon = new double[n];
    double[] price = new double[n];
    double level = 150 + 60 * (index % 8);
    for (int t = 0; t < n; t++) {
      double hour = (t + shiftSlots) * cfg.slotSeconds() / 3600.0 + index * 2.7;
      carbon[t] = level * (1 + 0.35 * Math.sin(2 * Math.PI * hour / 24));
      price[t] = 60 + 40 * Math.cos(2 * Math.PI * (hour + 3) / 24) + 5 * (index % 3);
    }
    double[] caps = new double[n];
    Arrays.fill(caps, Double.POSITIVE_INFINITY);
    DataCenter dc = new DataCenter(name, region, "Z" + index, "sim-" + index, 1.2 + 0.02 * (index % 5),
        new Resources(gpus, (long) gpus * 16_000, (long) gpus * 262_144));
    return new Site(dc, true, "", carbon, price, price.clone(), "USD", caps, false, "");
  }

  private static double[] rotate(double[] v, int by) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[(i + by) % v.length];
    }
    return out;
  }
}
