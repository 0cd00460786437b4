package io.heliotrope.broker.cluster.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The names, labels and annotations by which Heliotrope finds its workloads in a cluster (and an
 * operator finds them with kubectl: {@code kubectl get jobs -l heliotrope.io/job-id=<id>}).
 */
public final class Labels {
  public static final String JOB_ID = "heliotrope.io/job-id";
  public static final String TEAM = "heliotrope.io/team";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "heliotrope";
  public static final String DECISION = "heliotrope.io/decision";
  public static final String REASON = "heliotrope.io/reason";
  public static final String DATA_CENTRE = "heliotrope.io/data-centre";
  /** Set together with spec.suspend by the broker, so "suspended after running" differs from "created held". */
  public static final String SUSPENDED_AT = "heliotrope.io/suspended-at";

  private static final int MAX_NAME = 63;
  private static final String PREFIX = "heliotrope-";

  private Labels() {}

  /**
   * The Job's name, a pure function of the job id: creating twice hits 409 instead of making a
   * second Job. Kept to 63 characters because the Job controller copies it into a pod label.
   */
  public static String jobName(String jobId) {
    String clean = jobId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    String name = PREFIX + clean;
    if (name.length() <= MAX_NAME && clean.equals(jobId)) {
      return name;
    }
    // Lossy cleaning could map two ids to one name: a hash of the original keeps them apart.
    String hash = sha256(jobId).substring(0, 10);
    String head = name.substring(0, Math.min(name.length(), MAX_NAME - hash.length() - 1)).replaceAll("-+$", "");
    return head + "-" + hash;
  }

  /** A label value: at most 63 of [A-Za-z0-9._-], beginning and ending alphanumeric; else a hash. */
  public static String labelValue(String v) {
    if (v.matches("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?")) {
      return v;
    }
    return "h-" + sha256(v).substring(0, 16);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
