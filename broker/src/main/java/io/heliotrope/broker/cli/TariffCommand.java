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
import java.util.List;
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
          + "code is 1.")
  static final class Import extends SignalCall {
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
          System.err.println("error: a URDB tariff needs --zone (URDB names a utility, not a grid zone)");
          return 2;
        }
        tariffs = List.of(UrdbTariffLoader.load(file, zones, timeZone));
      } else {
        tariffs = ChinaTouYamlLoader.load(file);
      }
      int refused = 0;
      for (Tariff t : tariffs) {
        try {
          out.tariff(stubs.blocking().publishTariff(PublishTariffRequest.newBuilder()
              .setTariff(SignalMapper.toProto(t)).build()));
        } catch (StatusRuntimeException e) {
          System.err.println("tariff " + t.id() + " refused:");
          Printer.error(System.err, e);
          refused++;
        }
      }
      return refused == 0 ? 0 : 1;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List published tariffs.")
  static final class ListTariffs extends SignalCall {
    @Option(names = "--zone", defaultValue = "", description = "only tariffs of this zone") String zone;

    @Override
    int call(Stubs stubs, SignalPrinter out) {
      stubs.blocking().listTariffs(ListTariffsRequest.newBuilder().setZone(zone).build()).getTariffsList()
          .forEach(out::tariff);
      return 0;
    }
  }
}
