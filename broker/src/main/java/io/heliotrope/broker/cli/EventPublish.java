package io.heliotrope.broker.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.GetGridEventRequest;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventKind;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.UpdateGridEventRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Publish (or with --update, change) a grid event; prints what the broker commits to. Times are "
        + "RFC 3339 or relative to now (2h).",
        "Running the same command again is a retry: with relative times it finds the event published moments "
            + "before (same id, kind, target and figures, window shifted by at most 10m) and shows it; an "
            + "event with other figures is refused with a pointer to --update."},
    footer = "%nExample:%n  event publish --id ps-42 --kind peak-shaving --zone CN-GD --start 2h --end 4h --reduce-kw 500")
final class EventPublish extends SignalCall {
  /** How far apart two runs of the same command with relative times may be and still be one request. */
  static final Duration RETRY_WINDOW = Duration.ofMinutes(10);

  @Option(names = "--id", required = true, description = "dispatch's id, unique") String id;
  @Option(names = "--kind", required = true, converter = KindConverter.class,
      description = "peak-shaving, valley-filling or interconnection-cap") GridEventKind kind;
  @Option(names = "--zone", defaultValue = "", description = "grid zone (or --data-center)") String zone;
  @Option(names = "--data-center", defaultValue = "", description = "one data centre") String dataCenter;
  @Option(names = "--start", required = true, converter = Moment.Converter.class) Moment start;
  @Option(names = "--end", required = true, converter = Moment.Converter.class) Moment end;
  @Option(names = "--reduce-kw", defaultValue = "0", description = "peak shaving: cut load by this much") double reduceKw;
  @Option(names = "--cap-kw", defaultValue = "0", description = "peak shaving or interconnection cap: stay under") double capKw;
  @Option(names = "--absorb-kw", defaultValue = "0", description = "valley filling: absorb up to") double absorbKw;
  @Option(names = "--compensation", defaultValue = "0", description = "paid per MWh delivered") double compensation;
  @Option(names = "--currency", defaultValue = "", description = "of the compensation, e.g. CNY") String currency;
  @Option(names = "--update", description = "change an existing event instead of publishing a new one") boolean update;

  @Override
  int call(Stubs stubs, SignalPrinter out) {
    Instant now = Instant.now();
    GridEvent e = GridEvent.newBuilder().setId(id).setKind(kind).setZone(zone).setDataCenter(dataCenter)
        .setStart(JobMapper.timestamp(start.at(now))).setEnd(JobMapper.timestamp(end.at(now)))
        .setReduceKw(reduceKw).setCapKw(capKw).setAbsorbKw(absorbKw).setCompensationPerMwh(compensation)
        .setCurrency(currency).build();
    if (update) {
      out.event(stubs.blocking().updateGridEvent(UpdateGridEventRequest.newBuilder().setEvent(e).build()));
      return 0;
    }
    try {
      out.event(stubs.blocking().publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(e).build()));
      return 0;
    } catch (StatusRuntimeException refused) {
      if (refused.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw refused;
      }
      GridEvent existing = stubs.blocking().getGridEvent(GetGridEventRequest.newBuilder().setId(id).build());
      if (start.relative() && end.relative() && retryOf(existing, e)) {
        System.err.println("event " + id + " was published by the same command "
            + Human.age(Duration.between(JobMapper.instant(existing.getStart()), JobMapper.instant(e.getStart())).abs())
            + " earlier (a retry); showing it unchanged. To move it, use --update.");
        out.event(existing);
        return 0;
      }
      Printer.error(System.err, refused);
      System.err.println("  to change event " + id + ", run the same command with --update");
      return CliErrors.FAILED;
    }
  }

  /** The same request but for the window, which moved with "now" by the same amount, within the retry window. */
  static boolean retryOf(GridEvent existing, GridEvent again) {
    Duration startShift = Duration.between(JobMapper.instant(existing.getStart()), JobMapper.instant(again.getStart()));
    Duration endShift = Duration.between(JobMapper.instant(existing.getEnd()), JobMapper.instant(again.getEnd()));
    GridEvent a = existing.toBuilder().clearStart().clearEnd().build();
    GridEvent b = again.toBuilder().clearStart().clearEnd().build();
    boolean sameFigures = a.getKind() == b.getKind() && a.getZone().equals(b.getZone())
        && a.getDataCenter().equals(b.getDataCenter()) && a.getReduceKw() == b.getReduceKw()
        && a.getCapKw() == b.getCapKw() && a.getAbsorbKw() == b.getAbsorbKw()
        && a.getCompensationPerMwh() == b.getCompensationPerMwh() && a.getCurrency().equals(b.getCurrency());
    return sameFigures && !startShift.isNegative() && startShift.compareTo(RETRY_WINDOW) <= 0
        && startShift.minus(endShift).abs().compareTo(Duration.ofSeconds(1)) <= 0;
  }

  /** "peak-shaving" -> PEAK_SHAVING. */
  static final class KindConverter implements ITypeConverter<GridEventKind> {
    @Override
    public GridEventKind convert(String value) {
      try {
        GridEventKind k = GridEventKind.valueOf(value.replace('-', '_').toUpperCase(Locale.ROOT));
        if (k != GridEventKind.GRID_EVENT_KIND_UNSPECIFIED && k != GridEventKind.UNRECOGNIZED) {
          return k;
        }
      } catch (IllegalArgumentException ignored) {
        // listed below
      }
      throw new TypeConversionException("'" + value + "' is not an event kind (peak-shaving, valley-filling, "
          + "interconnection-cap)");
    }
  }
}
