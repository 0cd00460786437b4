package io.heliotrope.broker.signal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.EnergyPrice;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.PeriodPrice;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.broker.signal.TariffPeriod;
import io.heliotrope.broker.signal.TariffPeriodKind;
import io.heliotrope.broker.signal.TariffSeason;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * JSON text for the store, written field by field so the stored format is ours (and stable) rather
 * than whatever a record's shape happens to be. A batch of points is an array of short arrays: the
 * streaming generator keeps ingest cheap.
 */
final class SignalCodec {
  private final ObjectMapper json = new ObjectMapper();
  private final JsonFactory factory = json.getFactory();

  String points(List<SignalPoint> batch) {
    StringWriter w = new StringWriter(batch.size() * 96);
    try (JsonGenerator g = factory.createGenerator(w)) {
      g.writeStartArray();
      for (SignalPoint p : batch) {
        g.writeStartArray();
        g.writeString(p.zone());
        g.writeString(p.dataCenter());
        g.writeString(p.kind().name());
        g.writeString(p.basis().name());
        g.writeString(p.unit());
        g.writeNumber(p.start().getEpochSecond());
        g.writeNumber(p.end().getEpochSecond());
        if (p.forecast()) {
          g.writeNumber(p.issued().getEpochSecond());
        } else {
          g.writeNull();
        }
        g.writeNumber(p.value());
        g.writeString(p.source());
        g.writeEndArray();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  List<SignalPoint> points(String text) throws IOException {
    List<SignalPoint> out = new ArrayList<>();
    try (JsonParser p = factory.createParser(text)) {
      expect(p.nextToken(), JsonToken.START_ARRAY);
      while (p.nextToken() == JsonToken.START_ARRAY) {
        String zone = p.nextTextValue();
        String dc = p.nextTextValue();
        SignalKind kind = SignalKind.valueOf(p.nextTextValue());
        CarbonBasis basis = CarbonBasis.valueOf(p.nextTextValue());
        String unit = p.nextTextValue();
        p.nextToken();
        Instant start = Instant.ofEpochSecond(p.getLongValue());
        p.nextToken();
        Instant end = Instant.ofEpochSecond(p.getLongValue());
        Instant issued = p.nextToken() == JsonToken.VALUE_NULL ? null : Instant.ofEpochSecond(p.getLongValue());
        p.nextToken();
        double value = p.getDoubleValue();
        String source = p.nextTextValue();
        expect(p.nextToken(), JsonToken.END_ARRAY);
        out.add(new SignalPoint(zone, dc, kind, start, end, value, unit, basis, issued != null, issued, source));
      }
    }
    return out;
  }

  private static void expect(JsonToken got, JsonToken want) throws IOException {
    if (got != want) {
      throw new IOException("stored batch is malformed: expected " + want + ", found " + got);
    }
  }

  String tariff(Tariff t) {
    ObjectNode n = json.createObjectNode().put("id", t.id()).put("name", t.name()).put("currency", t.currency())
        .put("flatPricePerMwh", t.flatPricePerMwh()).put("timeZone", t.timeZone().getId()).put("source", t.source());
    t.zones().forEach(n.putArray("zones")::add);
    ArrayNode seasons = n.putArray("seasons");
    for (TariffSeason s : t.seasons()) {
      ObjectNode sn = seasons.addObject();
      s.months().stream().sorted().forEach(sn.putArray("months")::add);
      ArrayNode days = sn.putArray("dayKinds");
      s.dayKinds().stream().sorted().forEach(d -> days.add(d.name()));
      ArrayNode periods = sn.putArray("periods");
      for (TariffPeriod p : s.periods()) {
        ObjectNode pn = periods.addObject().put("kind", p.kind().name()).put("start", p.startMinute())
            .put("end", p.endMinute());
        if (p.price() instanceof PeriodPrice.RatioToFlat r) {
          pn.put("ratioToFlat", r.ratio());
        } else {
          pn.put("perMwh", ((PeriodPrice.Absolute) p.price()).perMwh());
        }
      }
    }
    return n.toString();
  }

  Tariff tariff(String text) throws IOException {
    JsonNode n = json.readTree(text);
    List<String> zones = new ArrayList<>();
    n.path("zones").forEach(z -> zones.add(z.asText()));
    List<TariffSeason> seasons = new ArrayList<>();
    for (JsonNode s : n.path("seasons")) {
      Set<Integer> months = new HashSet<>();
      s.path("months").forEach(m -> months.add(m.asInt()));
      Set<TariffSeason.DayKind> days = new HashSet<>();
      s.path("dayKinds").forEach(d -> days.add(TariffSeason.DayKind.valueOf(d.asText())));
      List<TariffPeriod> periods = new ArrayList<>();
      for (JsonNode p : s.path("periods")) {
        PeriodPrice price = p.has("ratioToFlat") ? new PeriodPrice.RatioToFlat(p.get("ratioToFlat").asDouble())
            : new PeriodPrice.Absolute(p.get("perMwh").asDouble());
        periods.add(new TariffPeriod(TariffPeriodKind.valueOf(p.get("kind").asText()), p.get("start").asInt(),
            p.get("end").asInt(), price));
      }
      seasons.add(new TariffSeason(months, periods, days));
    }
    return new Tariff(n.get("id").asText(), n.path("name").asText(), zones, n.get("currency").asText(),
        n.path("flatPricePerMwh").asDouble(), ZoneId.of(n.get("timeZone").asText()), seasons, n.path("source").asText());
  }

  String event(GridEvent e) {
    ObjectNode n = json.createObjectNode().put("id", e.id()).put("kind", e.kind().name()).put("zone", e.zone())
        .put("dataCenter", e.dataCenter()).put("start", e.start().toString()).put("end", e.end().toString())
        .put("reduceW", e.reduce().watts()).put("capW", e.cap().watts()).put("absorbW", e.absorb().watts())
        .put("status", e.status().name()).put("committedW", e.committed().watts())
        .put("commitmentReason", e.commitmentReason()).put("baselineW", e.baseline().watts())
        .put("deliveredW", e.delivered().watts()).put("deliveredJ", e.deliveredEnergy().joules())
        .put("updated", e.updated().toString()).put("origin", e.origin());
    e.compensation().ifPresent(c -> n.put("compensationPerMwh", c.perMwh()).put("currency", c.currency()));
    return n.toString();
  }

  GridEvent event(String text) throws IOException {
    JsonNode n = json.readTree(text);
    Optional<EnergyPrice> comp = n.has("compensationPerMwh")
        ? Optional.of(EnergyPrice.perMwh(n.get("compensationPerMwh").asDouble(), n.get("currency").asText()))
        : Optional.empty();
    return new GridEvent(n.get("id").asText(), GridEventKind.valueOf(n.get("kind").asText()), n.get("zone").asText(),
        n.get("dataCenter").asText(), Instant.parse(n.get("start").asText()), Instant.parse(n.get("end").asText()),
        Power.watts(n.get("reduceW").asDouble()), Power.watts(n.get("capW").asDouble()),
        Power.watts(n.get("absorbW").asDouble()), comp, GridEventStatus.valueOf(n.get("status").asText()),
        Power.watts(n.get("committedW").asDouble()), n.get("commitmentReason").asText(),
        Power.watts(n.get("baselineW").asDouble()), Power.watts(n.get("deliveredW").asDouble()),
        Energy.joules(n.get("deliveredJ").asDouble()), Instant.parse(n.get("updated").asText()),
        n.path("origin").asText(GridEvent.API));
  }
}
