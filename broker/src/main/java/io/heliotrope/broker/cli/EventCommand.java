package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.CancelGridEventRequest;
import io.heliotrope.proto.v1.GridEventStatus;
import io.heliotrope.proto.v1.ListGridEventsRequest;
import io.heliotrope.proto.v1.WatchGridEventsRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code event ...}: dispatch's grid events (peak shaving, valley filling, interconnection caps). */
@Command(name = "event", mixinStandardHelpOptions = true, description = "Publish, cancel, list and watch grid events.",
    subcommands = {EventPublish.class, EventCommand.Cancel.class, EventCommand.ListEvents.class,
        EventCommand.Watch.class})
public final class EventCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel an event that is not over.")
  static final class Cancel extends SignalCall {
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--reason", defaultValue = "") String reason;

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      out.event(stubs.blocking().cancelGridEvent(CancelGridEventRequest.newBuilder().setId(id).setReason(reason).build()));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List events, earliest start first.")
  static final class ListEvents extends SignalCall {
    @Option(names = "--zone", defaultValue = "", description = "zone or data centre") String zone;
    @Option(names = "--status", split = ",", description = "e.g. EVENT_ACCEPTED,EVENT_ACTIVE")
    List<GridEventStatus> statuses = new ArrayList<>();

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      out.eventHeader();
      stubs.blocking().listGridEvents(ListGridEventsRequest.newBuilder().setZone(zone).addAllStatuses(statuses).build())
          .getEventsList().forEach(out::event);
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
      out.eventHeader();
      stubs.blocking().watchGridEvents(WatchGridEventsRequest.newBuilder().setZone(zone).setId(id).build())
          .forEachRemaining(out::event);
      return 0;
    }
  }
}
