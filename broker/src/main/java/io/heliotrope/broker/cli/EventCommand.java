package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.CancelGridEventRequest;
import io.heliotrope.proto.v1.GetGridEventRequest;
import io.heliotrope.proto.v1.GridEventStatus;
import io.heliotrope.proto.v1.ListGridEventsRequest;
import io.heliotrope.proto.v1.WatchGridEventsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code event ...}: dispatch's grid events (peak shaving, valley filling, interconnection caps). */
@Command(name = "event", mixinStandardHelpOptions = true,
    description = "Publish, cancel, get, list and watch grid events; forecast flexibility before them.",
    subcommands = {EventPublish.class, EventCommand.Cancel.class, EventCommand.Get.class, EventCommand.ListEvents.class,
        EventCommand.Watch.class, EventCommand.Flexibility.class})
public final class EventCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel an event that is not over.")
  static final class Cancel extends SignalCall {
    @Parameters(paramLabel = "ID", converter = Names.EventId.class) String id;
    @Option(names = "--reason", defaultValue = "") String reason;

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      out.event(stubs.blocking().cancelGridEvent(CancelGridEventRequest.newBuilder().setId(id).setReason(reason).build()));
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Show one event: what was asked, what the broker committed to, and what was delivered.")
  static final class Get extends SignalCall {
    @Parameters(paramLabel = "ID", converter = Names.EventId.class) String id;

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      out.event(stubs.blocking().getGridEvent(GetGridEventRequest.newBuilder().setId(id).build()));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List events, earliest start first.")
  static final class ListEvents extends SignalCall {
    @Option(names = "--zone", defaultValue = "", description = "zone or data centre") String zone;
    @Option(names = "--status", split = ",", converter = StatusConverter.class,
        description = "only these: received, accepted, declined, active, completed, cancelled (EVENT_ACCEPTED works"
            + " too)")
    List<GridEventStatus> statuses = new ArrayList<>();

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      // Every page: the broker sends at most 1,000 events a response.
      List<io.heliotrope.proto.v1.GridEvent> events = new ArrayList<>();
      String token = "";
      do {
        var page = stubs.blocking().listGridEvents(ListGridEventsRequest.newBuilder().setZone(zone)
            .addAllStatuses(statuses).setPageSize(io.heliotrope.broker.domain.Limits.MAX_PAGE).setPageToken(token).build());
        events.addAll(page.getEventsList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      out.events(events);
      return 0;
    }
  }

  @Command(name = "flexibility", mixinStandardHelpOptions = true,
      description = "Before any event: per data centre and hour, the kW the planner could shed and what it costs in"
          + " delayed work (GPU-hours).",
      footer = "%nExample:%n  event flexibility --target CN-GD --from 18h --to 20h")
  static final class Flexibility extends SignalCall {
    @Option(names = "--target", required = true, description = "zone or data centre") String target;
    @Option(names = "--from", required = true, converter = Moment.Converter.class,
        description = "start: a time (2026-12-05T18:00:00Z) or relative to now (18h)") Moment from;
    @Option(names = "--to", required = true, converter = Moment.Converter.class,
        description = "end, at most 24 h after --from") Moment to;

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      java.time.Instant now = java.time.Instant.now();
      out.flexibility(stubs.blocking().getFlexibility(io.heliotrope.proto.v1.GetFlexibilityRequest.newBuilder()
          .setTarget(target).setFrom(io.heliotrope.broker.api.JobMapper.timestamp(from.at(now)))
          .setTo(io.heliotrope.broker.api.JobMapper.timestamp(to.at(now))).build()).getHoursList());
      return 0;
    }
  }

  @Command(name = "watch", mixinStandardHelpOptions = true,
      description = "Print events now and each status change (Ctrl-C to stop; a watch of one --id ends when it is over).")
  static final class Watch extends SignalCall {
    @Option(names = "--zone", defaultValue = "", description = "zone or data centre") String zone;
    @Option(names = "--id", defaultValue = "") String id;

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      stubs.blocking().watchGridEvents(WatchGridEventsRequest.newBuilder().setZone(zone).setId(id).build())
          .forEachRemaining(out::streamedEvent);
      return 0;
    }
  }

  /** "completed", "COMPLETED" and "EVENT_COMPLETED" are the same status. */
  static final class StatusConverter implements ITypeConverter<GridEventStatus> {
    @Override
    public GridEventStatus convert(String value) {
      String v = value.strip().toUpperCase(Locale.ROOT);
      try {
        GridEventStatus s = GridEventStatus.valueOf(v.startsWith("EVENT_") ? v : "EVENT_" + v);
        if (s != GridEventStatus.UNRECOGNIZED) {
          return s;
        }
      } catch (IllegalArgumentException ignored) {
        // listed below
      }
      throw new TypeConversionException("'" + value + "' is not an event status (received, accepted, active, "
          + "completed, cancelled)");
    }
  }
}
