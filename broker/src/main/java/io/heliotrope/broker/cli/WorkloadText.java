package io.heliotrope.broker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.heliotrope.proto.v1.DerivedWorkload;
import io.heliotrope.proto.v1.GangRole;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.Resources;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** A job's workload for people: the derived gang in text, and YAML with the created manifest as an object. */
final class WorkloadText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private WorkloadText() {}

  /** The gang the planner works with, role by role, and how each figure was read. */
  static void derived(PrintStream out, Job j) {
    DerivedWorkload w = j.getWorkload();
    if (!j.hasWorkload() || w.getKind().equals("shorthand") || w.getKind().isEmpty()) {
      return;
    }
    out.printf("workload   %s%s: %d pod(s), %s in all%n", w.getKind(),
        w.getObjectName().isEmpty() ? "" : " " + w.getObjectName(), w.getPods(), resources(w.getTotal()));
    for (GangRole r : w.getRolesList()) {
      StringBuilder extended = new StringBuilder();
      r.getExtendedPerPodMap().forEach((k, v) -> extended.append(", ").append(v).append(' ').append(k));
      out.printf("  %-8s %d x (%s%s)%n", r.getName(), r.getPods(), resources(r.getPerPod()), extended);
      out.printf("           %s%n", r.getDerivation());
    }
  }

  private static String resources(Resources r) {
    return r.getGpus() + " GPU, " + r.getCpuMillis() + " mCPU, " + r.getMemoryMib() + " MiB";
  }

  /** Proto JSON as YAML; the created manifest (a JSON string in the API) becomes part of the document. */
  static String yaml(String protoJson) {
    try {
      JsonNode tree = JSON.readTree(protoJson);
      JsonNode created = tree.path("workload").path("manifestAsCreated");
      if (created.isTextual() && tree.get("workload") instanceof ObjectNode w) {
        w.set("manifestAsCreated", JSON.readTree(created.asText()));
      }
      return YAML.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
