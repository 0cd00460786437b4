package io.heliotrope.broker.cli;

import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventKind;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.UpdateGridEventRequest;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Publish (or with --update, change) a grid event; prints what the broker commits to. Times are "
        + "RFC 3339 or relative to now (2h).",
    footer = "%nExample:%n  event publish --id ps-42 --kind peak-shaving --zone CN-GD --start 2h --end 4h --reduce-kw 500")
final class EventPublish extends SignalCall {
  @Option(names = "--id", required = true, description = "dispatch's id, unique") String id;
  @Option(names = "--kind", required = true, converter = KindConverter.class,
      description = "peak-shaving, valley-filling or interconnection-cap") GridEventKind kind;
  @Option(names = "--zone", defaultValue = "", description = "grid zone (or --data-center)") String zone;
  @Option(names = "--data-center", defaultValue = "", description = "one data centre") String dataCenter;
  @Option(names = "--start", required = true) String start;
  @Option(names = "--end", required = true) String end;
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
        .setStart(JobMapper.timestamp(JobSubmit.time(start, now))).setEnd(JobMapper.timestamp(JobSubmit.time(end, now)))
        .setReduceKw(reduceKw).setCapKw(capKw).setAbsorbKw(absorbKw).setCompensationPerMwh(compensation)
        .setCurrency(currency).build();
    out.event(update ? stubs.blocking().updateGridEvent(UpdateGridEventRequest.newBuilder().setEvent(e).build())
        : stubs.blocking().publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(e).build()));
    return 0;
  }

  /** "peak-shaving" -> PEAK_SHAVING. */
  static final class KindConverter implements ITypeConverter<GridEventKind> {
    @Override
    public GridEventKind convert(String value) {
      return GridEventKind.valueOf(value.replace('-', '_').toUpperCase(Locale.ROOT));
    }
  }
}
