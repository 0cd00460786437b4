package io.heliotrope.broker.cluster.kubernetes.workload;

import io.heliotrope.broker.domain.Gang;
import io.heliotrope.broker.domain.GangRole;
import io.heliotrope.broker.domain.Workload;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The workload kinds Heliotrope runs, and what is the same for all of them: reading a manifest
 * into a gang, checking it at submit (every problem, with its path), and reading the kind's
 * outcome back. {@link WorkloadStamp} writes Heliotrope's marks into a manifest at creation.
 */
public final class WorkloadKinds {
  public static final int MAX_MANIFEST_BYTES = 1024 * 1024;
  /** Environment variables of docs/checkpointing.md: Heliotrope's to set, never the manifest's. */
  public static final Set<String> OWN_ENV = Set.of("HELIOTROPE_JOB_ID", "HELIOTROPE_CHECKPOINT_DIR",
      "HELIOTROPE_RESUME_FROM");
  private static final List<WorkloadKind> KINDS = List.of(new BatchJobKind(), new JobSetKind(), new TrainJobKind(),
      new PyTorchJobKind(), new RayJobKind());
  /** Common kinds that cannot be held or suspended, named so the error says why they are refused. */
  private static final Set<String> NOT_SUSPENDABLE = Set.of("Pod", "Deployment", "StatefulSet", "ReplicaSet",
      "DaemonSet", "CronJob", "RayCluster", "RayService");

  private WorkloadKinds() {}

  public static List<WorkloadKind> all() {
    return KINDS;
  }

  public static Optional<WorkloadKind> of(String apiVersion, String kind) {
    return KINDS.stream().filter(k -> k.apiVersion().equals(apiVersion) && k.kind().equals(kind)).findFirst();
  }

  /** The kind of a workload Heliotrope accepted (so it is one of these). */
  public static WorkloadKind of(Workload w) {
    return of(w.apiVersion(), w.kind())
        .orElseThrow(() -> new IllegalArgumentException("not a supported workload kind: " + w.gvk()));
  }

  /** A parsed manifest: the workload (JSON as submitted, and its gang), or every problem found. */
  public record Parsed(Optional<Workload> workload, Problems problems) {}

  /**
   * Reads and checks a manifest. {@code namespaces} are those the team may use; a manifest without
   * a namespace goes to the cluster's configured one.
   */
  public static Parsed parse(String text, Set<String> namespaces) {
    Problems p = new Problems();
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_MANIFEST_BYTES) {
      return new Parsed(Optional.empty(), p.add("", "the manifest is " + bytes + " bytes, over the limit of 1 MiB ("
          + MAX_MANIFEST_BYTES + ")"));
    }
    Map<String, Object> tree;
    try {
      tree = Tree.parse(text);
    } catch (IllegalArgumentException e) {
      return new Parsed(Optional.empty(), p.add("", e.getMessage()));
    }
    Optional<WorkloadKind> kind = kind(tree, p);
    if (kind.isEmpty()) {
      return new Parsed(Optional.empty(), p);
    }
    String stored = Tree.json(tree);
    Gang gang = check(kind.get(), tree, namespaces, p);
    return new Parsed(p.isEmpty() ? Optional.of(new Workload(kind.get().apiVersion(), kind.get().kind(), stored, gang))
        : Optional.empty(), p);
  }

  private static Optional<WorkloadKind> kind(Map<String, Object> tree, Problems p) {
    String apiVersion = Tree.str(tree, "apiVersion");
    String kind = Tree.str(tree, "kind");
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      p.add(kind.isEmpty() ? "kind" : "apiVersion", "required");
      return Optional.empty();
    }
    Optional<WorkloadKind> k = of(apiVersion, kind);
    if (k.isPresent()) {
      return k;
    }
    String supported = KINDS.stream().map(WorkloadKind::gvk).collect(Collectors.joining(", "));
    List<WorkloadKind> sameKind = KINDS.stream().filter(x -> x.kind().equals(kind)).toList();
    if (!sameKind.isEmpty()) {
      p.add("apiVersion", "'" + apiVersion + "' is not supported for " + kind + " (supported: "
          + sameKind.get(0).apiVersion() + ")");
    } else if (NOT_SUSPENDABLE.contains(kind)) {
      p.add("kind", "no suspend support: a " + kind + " cannot be held and released through a suspend field, "
          + "which is how Heliotrope defers and suspends work (supported: " + supported + ")");
    } else {
      p.add("kind", "unknown kind '" + apiVersion + " " + kind + "' (supported: " + supported + ")");
    }
    return Optional.empty();
  }

  private static Gang check(WorkloadKind kind, Map<String, Object> tree, Set<String> namespaces, Problems p) {
    Map<String, Object> meta = Tree.map(tree, "metadata").orElse(Map.of());
    String ns = Tree.str(meta, "namespace");
    if (!ns.isEmpty() && !namespaces.contains(ns)) {
      p.add("metadata.namespace", "the team may not use namespace '" + ns + "' (allowed: "
          + String.join(", ", new java.util.TreeSet<>(namespaces)) + "; or leave it out)");
    }
    ownMarks(meta, "metadata", p);
    if (tree.containsKey("status")) {
      p.add("status", "set by the workload's controller, not in a submission");
    }
    if (Tree.at(tree, kind.suspendPath()).isPresent()) {
      p.add(String.join(".", kind.suspendPath()), "set by Heliotrope: it holds, releases and suspends the workload "
          + "through this field; leave it out");
    }
    kind.check(tree, p);
    List<GangRole> roles = new ArrayList<>();
    for (PodRole role : kind.roles(tree, p)) {
      if (role.metadataKey()) {
        ownMarks(Tree.map(role.labelsHolder(), "metadata").orElse(Map.of()), role.path() + ".metadata", p);
      } else {
        ownMarks(role.labelsHolder(), "spec", p);
      }
      for (PodRole.Container c : role.containers()) {
        List<Map<String, Object>> env = Tree.maps(c.map(), "env");
        for (int i = 0; i < env.size(); i++) {
          if (OWN_ENV.contains(Tree.str(env.get(i), "name"))) {
            p.add(c.path() + ".env[" + i + "]", Tree.str(env.get(i), "name") + " is set by Heliotrope "
                + "(docs/checkpointing.md); leave it out");
          }
        }
      }
      Map<String, BigDecimal> q = PodRequests.of(role, p);
      var perPod = PodRequests.resources(q);
      String derivation = role.pods() + " pod(s) from " + role.podsFrom() + "; per pod: the requests of "
          + role.containers().stream().filter(c -> !c.init()).count() + " container(s) at " + role.path()
          + (role.containers().stream().anyMatch(PodRole.Container::init) ? " (or the largest init container)" : "");
      roles.add(new GangRole(role.name(), role.pods(), perPod, PodRequests.extended(q), derivation));
    }
    Gang gang = new Gang(roles);
    if (p.isEmpty() && (gang.pods() == 0 || gang.total().isEmpty())) {
      p.add("spec", "missing resources: the workload has no pods that request cpu, memory or GPUs");
    }
    return gang;
  }

  /** Labels and annotations Heliotrope sets itself must not come in the manifest. */
  private static void ownMarks(Map<String, Object> holder, String path, Problems p) {
    for (String key : List.of("labels", "annotations")) {
      Map<String, Object> m = Tree.map(holder, key).orElse(Map.of());
      for (String k : m.keySet()) {
        if (k.startsWith("heliotrope.io/") || k.equals("app.kubernetes.io/managed-by")) {
          p.add(path + "." + key + "[" + k + "]", "set by Heliotrope; leave it out");
        }
      }
    }
  }

  /** Whether the object (as maps: spec, status, ...) has its suspend field set. */
  public static boolean suspended(WorkloadKind kind, Map<String, Object> object) {
    return Boolean.TRUE.equals(Tree.at(object, kind.suspendPath()).orElse(null));
  }

  /**
   * A JSON merge patch that sets the kind's suspend field and, in the same write, the given
   * annotations (a null value removes one).
   */
  public static String suspendPatch(WorkloadKind kind, boolean suspend, Map<String, String> annotations) {
    Map<String, Object> patch = new java.util.LinkedHashMap<>();
    Tree.child(Tree.child(patch, "metadata"), "annotations").putAll(annotations);
    Tree.set(patch, kind.suspendPath(), suspend);
    return Tree.json(patch);
  }

  /** The roles of a (mutable) manifest, for stamping. */
  static List<PodRole> roles(WorkloadKind kind, Map<String, Object> tree) {
    return kind.roles(tree, new Problems());
  }
}
