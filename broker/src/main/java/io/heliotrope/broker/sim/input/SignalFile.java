package io.heliotrope.broker.sim.input;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One zone's carbon or price series from a user's file, at the file's own resolution (5, 15, 30 or
 * 60 minutes; each row's value holds for one step from its time). Formats, told apart by header
 * (docs/evaluation.md, "Your own data"):
 *
 * <ul>
 *   <li>carbon, Electricity Maps export: {@code Datetime (UTC)} and
 *       {@code Carbon Intensity gCO₂eq/kWh (direct)} (other columns ignored): average, direct;
 *   <li>carbon, WattTime: {@code point_time,value} as the v3 API gives MOER (lbs CO2/MWh,
 *       converted to g/kWh), or {@code time,<region>} in gCO2/kWh as in WattTime's historical
 *       exports: marginal;
 *   <li>carbon, plain: {@code time,value} in gCO2/kWh: average, direct;
 *   <li>price: {@code Datetime (UTC)} and {@code Price (<CUR>/MWh)} (green-dcc form), or
 *       {@code time,value[,currency]} per MWh (USD when no currency column).
 * </ul>
 */
public record SignalFile(String zone, SignalKind kind, CarbonBasis basis, String unit, Duration step,
    List<SignalPoint> points) {
  static final double G_PER_KWH_PER_LB_PER_MWH = 0.45359237;
  private static final Pattern PRICE_HEADER = Pattern.compile("Price \\(([A-Z]{3})/MWh\\)");
  private static final List<Duration> STEPS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(15),
      Duration.ofMinutes(30), Duration.ofMinutes(60));

  /** The price currency ("EUR" for EUR/MWh); empty for carbon. */
  public String currency() {
    return kind == SignalKind.PRICE ? unit.substring(0, unit.indexOf('/')) : "";
  }

  public Instant first() {
    return points.get(0).start();
  }

  public Instant end() {
    return points.get(points.size() - 1).end();
  }

  public static SignalFile carbon(String zone, Path file) {
    Rows rows = Rows.read(file);
    List<String> h = rows.header();
    int time;
    int value;
    double scale = 1;
    CarbonBasis basis;
    if (h.contains("Datetime (UTC)")) {
      time = rows.column("Datetime (UTC)");
      value = indexWhere(h, c -> c.startsWith("Carbon Intensity") && c.endsWith("(direct)"));
      basis = CarbonBasis.AVERAGE_DIRECT;
    } else if (h.contains("point_time") && h.contains("value")) {
      time = rows.column("point_time");
      value = rows.column("value");
      scale = G_PER_KWH_PER_LB_PER_MWH;
      basis = CarbonBasis.MARGINAL;
    } else if (h.size() == 2 && h.get(0).equals("time")) {
      time = 0;
      value = 1;
      basis = h.get(1).equals("value") ? CarbonBasis.AVERAGE_DIRECT : CarbonBasis.MARGINAL;
    } else {
      time = -1;
      value = -1;
      basis = CarbonBasis.UNSPECIFIED;
    }
    if (time < 0 || value < 0) {
      throw new InputException(file + ":1:1: not a carbon file: header " + h + "; expected an Electricity Maps "
          + "export (Datetime (UTC), Carbon Intensity gCO₂eq/kWh (direct)), WattTime's point_time,value or "
          + "time,<region>, or time,value");
    }
    return parse(rows, zone, SignalKind.CARBON_INTENSITY, basis, "gCO2/kWh", time, value, -1, scale);
  }

  public static SignalFile price(String zone, Path file) {
    Rows rows = Rows.read(file);
    List<String> h = rows.header();
    if (h.contains("Datetime (UTC)")) {
      int price = indexWhere(h, c -> PRICE_HEADER.matcher(c).matches());
      if (price >= 0) {
        Matcher m = PRICE_HEADER.matcher(h.get(price));
        m.matches();
        return parse(rows, zone, SignalKind.PRICE, CarbonBasis.UNSPECIFIED, m.group(1), rows.column("Datetime (UTC)"),
            price, -1, 1);
      }
    } else if (h.size() >= 2 && h.get(0).equals("time") && h.get(1).equals("value")
        && (h.size() == 2 || h.size() == 3 && h.get(2).equals("currency"))) {
      return parse(rows, zone, SignalKind.PRICE, CarbonBasis.UNSPECIFIED, "USD", 0, 1, h.size() == 3 ? 2 : -1, 1);
    }
    throw new InputException(file + ":1:1: not a price file: header " + h + "; expected Datetime (UTC), "
        + "Price (<CUR>/MWh) or time,value[,currency]");
  }

  private static SignalFile parse(Rows rows, String zone, SignalKind kind, CarbonBasis basis, String unit, int time,
      int value, int currencyColumn, double scale) {
    List<String> problems = new ArrayList<>();
    List<Instant> starts = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    String currency = currencyColumn >= 0 ? null : unit;
    for (Rows.Row r : rows.rows()) {
      Instant t = null;
      try {
        t = Rows.instant(r.get(time));
        if (t.getEpochSecond() % 300 != 0) {
          problems.add(rows.at(r, time, "\"" + r.get(time) + "\" is not on a 5-minute boundary"));
          t = null;
        } else if (!starts.isEmpty() && !t.isAfter(starts.get(starts.size() - 1))) {
          problems.add(rows.at(r, time, t + " is not after the row before (" + starts.get(starts.size() - 1)
              + "): rows must be in time order, one per interval"));
          t = null;
        }
      } catch (DateTimeParseException e) {
        problems.add(rows.at(r, time, "\"" + r.get(time) + "\" is not a time (RFC 3339, e.g. 2023-06-05T00:00:00Z)"));
      }
      double v = Double.NaN;
      try {
        v = Double.parseDouble(r.get(value)) * scale;
        if (!Double.isFinite(v) || kind == SignalKind.CARBON_INTENSITY && v < 0) {
          problems.add(rows.at(r, value, "\"" + r.get(value) + "\" is not " + (kind == SignalKind.PRICE
              ? "a finite number" : "a non-negative number")));
        }
      } catch (NumberFormatException e) {
        problems.add(rows.at(r, value, "\"" + r.get(value) + "\" is not a number"));
      }
      if (currencyColumn >= 0) {
        String c = r.get(currencyColumn);
        if (!c.matches("[A-Z]{3}")) {
          problems.add(rows.at(r, currencyColumn, "\"" + c + "\" is not a currency code such as USD or EUR"));
        } else if (currency == null) {
          currency = c;
        } else if (!currency.equals(c)) {
          problems.add(rows.at(r, currencyColumn, c + " after " + currency + ": one currency per file"));
        }
      }
      if (t != null && Double.isFinite(v)) {
        starts.add(t);
        values.add(v);
      }
    }
    if (problems.isEmpty() && starts.size() < 2) {
      problems.add(rows.file() + ": " + starts.size() + " row(s): at least two are needed to tell the resolution");
    }
    Duration step = null;
    if (problems.isEmpty()) {
      step = Duration.between(starts.get(0), starts.get(1));
      for (int i = 2; i < starts.size(); i++) {
        Duration d = Duration.between(starts.get(i - 1), starts.get(i));
        step = d.compareTo(step) < 0 ? d : step;
      }
      if (!STEPS.contains(step)) {
        problems.add(rows.file() + ": resolution " + step.toMinutes() + " min is not supported (5, 15, 30 or 60)");
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    String src = "csv:" + rows.file().getFileName();
    String u = kind == SignalKind.PRICE ? currency + "/MWh" : unit;
    List<SignalPoint> points = new ArrayList<>(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      // A row holds for one step: a longer distance to the next row is a gap, not a longer value.
      points.add(SignalPoint.actual(zone, kind, starts.get(i), starts.get(i).plus(step), values.get(i), u, basis, src));
    }
    return new SignalFile(zone, kind, basis, u, step, List.copyOf(points));
  }

  private static int indexWhere(List<String> header, java.util.function.Predicate<String> p) {
    for (int i = 0; i < header.size(); i++) {
      if (p.test(header.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
