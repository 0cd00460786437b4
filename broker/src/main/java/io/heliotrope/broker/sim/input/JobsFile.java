package io.heliotrope.broker.sim.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heliotrope.broker.domain.ContainerSpec;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.domain.Preference;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.sim.Simulator;
import io.heliotrope.broker.sim.TraceJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A user's workload: CSV with a header, or JSON Lines (one object per line, the same names as
 * keys), one job per row (docs/evaluation.md, "Your own data"). Every problem in the file is
 * reported at once, each with its file, line and column.
 */
public final class JobsFile {
  /** Every column a jobs file may have; others are an error. */
  public static final List<String> COLUMNS = List.of("id", "arrival", "duration", "estimated_duration", "gpus",
      "cpu_millis", "memory_mib", "deadline", "interruptible", "checkpointable", "home", "power_watts",
      "checkpoint_mib", "regions", "gpu_model");
  static final List<String> REQUIRED = List.of("id", "arrival", "duration");

  /** How jobs without a stated power or deadline are completed. */
  public record Defaults(Duration slack, double wattsPerGpu, double wattsPerCore) {}

  private final List<DataCenter> dataCenters;
  private final Defaults defaults;

  public JobsFile(List<DataCenter> dataCenters, Defaults defaults) {
    this.dataCenters = List.copyOf(dataCenters);
    this.defaults = defaults;
  }

  /** One record as read: its line, and each present field's text with where it was. */
  private record Raw(int line, Map<String, String> values, Map<String, String> where) {}

  /** Reads {@code .jsonl}/{@code .ndjson} as JSON Lines, anything else as CSV; sorted by arrival. */
  public List<Simulator.Submitted> read(Path file) {
    String name = file.getFileName().toString();
    List<String> problems = new ArrayList<>();
    List<Raw> raws = name.endsWith(".jsonl") || name.endsWith(".ndjson") ? jsonLines(file, problems)
        : csv(file, problems);
    List<Simulator.Submitted> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Raw r : raws) {
      Simulator.Submitted s = job(r, problems);
      if (s != null && !ids.add(s.trace().name())) {
        problems.add(r.where().get("id") + ": id '" + s.trace().name() + "' is used twice");
      } else if (s != null) {
        out.add(s);
      }
    }
    if (problems.isEmpty() && out.isEmpty()) {
      problems.add(file + ": no jobs");
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    out.sort(Comparator.comparing((Simulator.Submitted s) -> s.trace().arrival()).thenComparing(s -> s.trace().name()));
    return out;
  }

  private static List<Raw> csv(Path file, List<String> problems) {
    Rows rows = Rows.read(file);
    List<String> unknown = rows.header().stream().filter(h -> !COLUMNS.contains(h)).toList();
    if (!unknown.isEmpty()) {
      problems.add(file + ":1: unknown column(s) " + unknown + " (known: " + COLUMNS + ")");
    }
    REQUIRED.stream().filter(c -> !rows.header().contains(c))
        .forEach(c -> problems.add(file + ":1: required column '" + c + "' is missing"));
    if (!problems.isEmpty()) {
      return List.of();
    }
    List<Raw> out = new ArrayList<>();
    for (Rows.Row r : rows.rows()) {
      Map<String, String> v = new LinkedHashMap<>();
      Map<String, String> w = new LinkedHashMap<>();
      for (int c = 0; c < rows.header().size(); c++) {
        if (!r.get(c).isEmpty()) {
          v.put(rows.header().get(c), r.get(c));
        }
        w.put(rows.header().get(c), file + ":" + r.line() + ":" + (c + 1) + " (" + rows.header().get(c) + ")");
      }
      out.add(new Raw(r.line(), v, w));
    }
    return out;
  }

  private static List<Raw> jsonLines(Path file, List<String> problems) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    ObjectMapper m = new ObjectMapper();
    List<Raw> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      int line = i + 1;
      JsonNode n;
      try {
        n = m.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        problems.add(file + ":" + line + ":" + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        continue;
      }
      if (!n.isObject()) {
        problems.add(file + ":" + line + ":1: expected a JSON object, one job per line");
        continue;
      }
      Map<String, String> v = new LinkedHashMap<>();
      Map<String, String> w = new LinkedHashMap<>();
      COLUMNS.forEach(c -> w.put(c, file + ":" + line + " (" + c + ")"));
      List<String> unknown = new ArrayList<>();
      n.fieldNames().forEachRemaining(f -> {
        if (!COLUMNS.contains(f)) {
          unknown.add(f);
        } else if (!n.get(f).isNull()) {
          JsonNode x = n.get(f);
          v.put(f, x.isArray() ? String.join(";", toStrings(x)) : x.asText());
        }
      });
      if (!unknown.isEmpty()) {
        problems.add(file + ":" + line + ": unknown key(s) " + unknown + " (known: " + COLUMNS + ")");
      }
      out.add(new Raw(line, v, w));
    }
    return out;
  }

  private static List<String> toStrings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  /** One job, or null with its problems added. */
  private Simulator.Submitted job(Raw r, List<String> problems) {
    int before = problems.size();
    REQUIRED.stream().filter(c -> !r.values().containsKey(c))
        .forEach(c -> problems.add(r.where().get(c) + ": required"));
    Fields f = new Fields(r, problems);
    String id = f.text("id", "");
    if (id.isEmpty() && r.values().containsKey("id")) {
      problems.add(r.where().get("id") + ": must not be empty");
    }
    Instant arrival = f.time("arrival");
    Duration duration = f.seconds("duration", null);
    Duration estimated = f.seconds("estimated_duration", duration);
    int gpus = (int) f.whole("gpus", 0, 1_000_000);
    long cpu = f.whole("cpu_millis", 0, Long.MAX_VALUE);
    long mem = f.whole("memory_mib", 0, Long.MAX_VALUE);
    boolean interruptible = f.bool("interruptible");
    boolean checkpointable = f.bool("checkpointable");
    long checkpointMib = f.whole("checkpoint_mib", 0, Long.MAX_VALUE);
    Optional<Double> watts = f.number("power_watts");
    String home = f.text("home", dataCenters.get(0).name());
    DataCenter homeDc = dataCenters.stream().filter(d -> d.name().equals(home)).findFirst().orElse(null);
    if (homeDc == null) {
      problems.add(r.where().get("home") + ": unknown data centre '" + home + "' (known: "
          + dataCenters.stream().map(DataCenter::name).toList() + ")");
    }
    List<String> regions = f.text("regions", "").isEmpty() ? List.of()
        : Arrays.stream(f.text("regions", "").split("[;\\s]+")).filter(s -> !s.isEmpty()).toList();
    Set<String> known = new java.util.TreeSet<>(dataCenters.stream().map(DataCenter::region).toList());
    regions.stream().filter(x -> !known.contains(x)).forEach(x -> problems.add(r.where().get("regions")
        + ": unknown region '" + x + "' (known: " + known + ")"));
    if (homeDc != null && !regions.isEmpty() && !regions.contains(homeDc.region())) {
      problems.add(r.where().get("regions") + ": home " + home + " is in " + homeDc.region()
          + ", which the job does not allow");
    }
    Instant deadline = r.values().containsKey("deadline") ? f.time("deadline")
        : arrival == null || estimated == null ? null : arrival.plus(estimated).plus(defaults.slack());
    if (problems.size() > before) {
      return null;
    }
    if (deadline.isBefore(arrival.plus(estimated))) {
      problems.add(r.where().get("deadline") + ": " + deadline + " is before arrival + estimated_duration ("
          + arrival.plus(estimated) + ")");
      return null;
    }
    Resources res = new Resources(gpus, cpu, mem);
    boolean fits = dataCenters.stream().anyMatch(d -> (regions.isEmpty() || regions.contains(d.region()))
        && d.capacity().fits(res));
    if (!fits) {
      problems.add(r.where().get("gpus") + ": " + gpus + " GPUs, " + cpu + " mCPU, " + mem
          + " MiB fits no data centre the job may use");
      return null;
    }
    double w = watts.orElse(gpus * defaults.wattsPerGpu() + cpu / 1000.0 * defaults.wattsPerCore());
    Map<String, String> labels = r.values().containsKey("gpu_model") ? Map.of("gpu_model", f.text("gpu_model", ""))
        : Map.of();
    JobSpec spec = new JobSpec(id, "trace", res, estimated, Optional.empty(), deadline, interruptible, checkpointable,
        regions, ContainerSpec.none(), Optional.of(Power.watts(Math.max(1, w))), Preference.DEFAULT, checkpointMib,
        labels, home);
    return new Simulator.Submitted(new TraceJob(id, arrival, duration, res), spec);
  }

  /** Typed reads of one record's fields, each problem naming where it is. */
  private record Fields(Raw r, List<String> problems) {
    String text(String k, String dflt) {
      return r.values().getOrDefault(k, dflt);
    }

    private void bad(String k, String what) {
      problems.add(r.where().get(k) + ": \"" + r.values().get(k) + "\" is not " + what);
    }

    Instant time(String k) {
      String v = r.values().get(k);
      if (v == null) {
        return null;
      }
      try {
        return Rows.instant(v);
      } catch (DateTimeParseException e) {
        bad(k, "an RFC 3339 time such as 2023-06-05T08:00:00Z");
        return null;
      }
    }

    Duration seconds(String k, Duration dflt) {
      if (!r.values().containsKey(k)) {
        return dflt;
      }
      try {
        double v = Double.parseDouble(r.values().get(k));
        if (Double.isFinite(v) && v >= 1) {
          return Duration.ofSeconds(Math.round(v));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      bad(k, "a positive number of seconds");
      return null;
    }

    long whole(String k, long dflt, long max) {
      if (!r.values().containsKey(k)) {
        return dflt;
      }
      try {
        long v = Long.parseLong(r.values().get(k));
        if (v < 0 || v > max) {
          bad(k, "a whole number from 0 to " + max);
          return dflt;
        }
        return v;
      } catch (NumberFormatException e) {
        bad(k, "a whole number");
        return dflt;
      }
    }

    Optional<Double> number(String k) {
      if (!r.values().containsKey(k)) {
        return Optional.empty();
      }
      try {
        double v = Double.parseDouble(r.values().get(k));
        if (Double.isFinite(v) && v >= 0) {
          return Optional.of(v);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      bad(k, "a non-negative number");
      return Optional.empty();
    }

    boolean bool(String k) {
      String v = r.values().getOrDefault(k, "false").toLowerCase(java.util.Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        bad(k, "true or false");
      }
      return v.equals("true");
    }
  }
}
