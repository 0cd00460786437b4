package io.heliotrope.broker.domain;

import java.util.Arrays;
import java.util.List;

/**
 * The pods of a job that start and stop together, by role. The planner places a gang whole: 4
 * pods of 8 GPUs need 4 nodes with 8 free GPUs each, not 32 GPUs anywhere.
 */
public record Gang(List<GangRole> roles) {
  public Gang {
    roles = List.copyOf(roles);
  }

  /** The single-container shorthand: one pod with all of the job's resources. */
  public static Gang single(Resources r) {
    return new Gang(List.of(new GangRole("job", 1, r, java.util.Map.of(), "the job's resources (one pod)")));
  }

  public Resources total() {
    Resources t = Resources.NONE;
    for (GangRole r : roles) {
      t = t.plus(r.total());
    }
    return t;
  }

  public int pods() {
    return roles.stream().mapToInt(GangRole::pods).sum();
  }

  /** GPUs of each pod that requests any, largest first: what has to find room on nodes. */
  public int[] gpuPods() {
    int n = 0;
    for (GangRole r : roles) {
      n += r.perPod().gpus() > 0 ? r.pods() : 0;
    }
    int[] out = new int[n];
    int i = 0;
    for (GangRole r : roles) {
      if (r.perPod().gpus() > 0) {
        Arrays.fill(out, i, i + r.pods(), r.perPod().gpus());
        i += r.pods();
      }
    }
    Arrays.sort(out);
    for (int a = 0, b = out.length - 1; a < b; a++, b--) {
      int t = out[a];
      out[a] = out[b];
      out[b] = t;
    }
    return out;
  }
}
