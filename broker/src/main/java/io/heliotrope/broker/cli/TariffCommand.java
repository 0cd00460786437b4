package io.heliotrope.broker.cli;

import io.grpc.StatusRuntimeException;
import io.heliotrope.broker.api.SignalMapper;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.broker.signal.providers.ChinaTouYamlLoader;
import io.heliotrope.broker.signal.providers.UrdbTariffLoader;
import io.heliotrope.proto.v1.ListTariffsRequest;
import io.heliotrope.proto.v1.PublishTariffRequest;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tariff ...}: publish and list time-of-use tariffs. */
@Command(name = "tariff", mixinStandardHelpOptions = true, description = "Import and list time-of-use tariffs.",
    subcommands = {TariffCommand.Import.class, TariffCommand.ListTariffs.class})
public final class TariffCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Publish tariffs from the China TOU YAML (one tariff per province) or an OpenEI URDB JSON "
          + "export (needs --zone). Each tariff is published on its own; refused ones are listed and the exit "
          + "code is 1. A tariff with the id of one published before replaces it (with a warning).")
  static final class Import extends SignalCall {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--file", required = true) Path file;
    @Option(names = "--zone", description = "zone(s) a URDB tariff applies to (repeatable)") List<String> zones;
    @Option(names = "--time-zone", defaultValue = "America/Los_Angeles",
        description = "time zone of a URDB tariff's hours (default ${DEFAULT-VALUE})") ZoneId timeZone;

    @Override
    int call(Stubs stubs, SignalPrinter out) throws Exception {
      List<Tariff> tariffs;
      String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      if (name.endsWith(".json")) {
        if (zones == null || zones.isEmpty()) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(),
              "a URDB tariff needs --zone (URDB names a utility, not a grid zone)");
        }
        tariffs = List.of(UrdbTariffLoader.load(file, zones, timeZone));
      } else {
        tariffs = ChinaTouYamlLoader.load(file);
      }
      Map<String, io.heliotrope.proto.v1.Tariff> before = new HashMap<>();
      stubs.blocking().listTariffs(ListTariffsRequest.getDefaultInstance()).getTariffsList()
          .forEach(t -> before.put(t.getId(), t));
      List<io.heliotrope.proto.v1.Tariff> published = new ArrayList<>();
      int refused = 0;
      for (Tariff t : tariffs) {
        try {
          io.heliotrope.proto.v1.Tariff proto = SignalMapper.toProto(t);
          io.heliotrope.proto.v1.Tariff old = before.get(t.id());
          published.add(stubs.blocking().publishTariff(PublishTariffRequest.newBuilder().setTariff(proto).build()));
          if (old != null) {
            System.err.println("warning: tariff " + t.id() + (old.equals(proto) ? " was already published; "
                + "published again unchanged" : " replaces the one published before under that id (source "
                + old.getSource() + ")"));
          }
        } catch (StatusRuntimeException e) {
          System.err.println("tariff " + t.id() + " refused:");
          Printer.error(System.err, e);
          refused++;
        }
      }
      out.tariffs(published);
      return refused == 0 ? 0 : 1;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List published tariffs.")
  static final class ListTariffs extends SignalCall {
    @Option(names = "--zone", defaultValue = "", description = "only tariffs of this zone") String zone;

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      out.tariffs(stubs.blocking().listTariffs(ListTariffsRequest.newBuilder().setZone(zone).build()).getTariffsList());
      return 0;
    }
  }
}
