package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.domain.DataCenter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the VTN know this broker: one ven object per configured VEN and one resource per data
 * centre (found by name first, so a restart creates nothing twice), and a webhook subscription
 * to events and programs carrying the bearer token the VTN must call back with (updated in
 * place when one exists for the same callback URL).
 */
final class Registration {
  private final VtnClient vtn;
  private final Sites sites;

  Registration(VtnClient vtn, Sites sites) {
    this.vtn = vtn;
    this.sites = sites;
  }

  /** venName to the VTN's venID. */
  Map<String, String> registerVens() {
    Map<String, String> ids = new LinkedHashMap<>();
    for (String venName : sites.venNames()) {
      List<JsonNode> found = vtn.list("/vens", Map.of("venName", List.of(venName)));
      String venId;
      if (found.isEmpty()) {
        ObjectNode ven = vtn.json().createObjectNode().put("objectType", "VEN_VEN_REQUEST").put("venName", venName);
        venId = vtn.post("/vens", ven).path("id").asText();
      } else {
        venId = found.get(0).path("id").asText();
      }
      ids.put(venName, venId);
      for (DataCenter dc : sites.dataCentersOf(venName)) {
        if (vtn.list("/resources", Map.of("venID", List.of(venId), "resourceName", List.of(dc.name()))).isEmpty()) {
          ObjectNode r = vtn.json().createObjectNode().put("objectType", "VEN_RESOURCE_REQUEST")
              .put("resourceName", dc.name()).put("venID", venId);
          vtn.post("/resources", r);
        }
      }
    }
    return ids;
  }

  /** Subscribes the callback URL to events and programs; returns the subscription's ID. */
  String subscribe(String clientName, URI callback, String bearerToken) {
    ObjectNode s = vtn.json().createObjectNode().put("clientName", clientName);
    ObjectNode op = s.putArray("objectOperations").addObject();
    op.putArray("objects").add("EVENT").add("PROGRAM");
    op.putArray("operations").add("CREATE").add("UPDATE").add("DELETE");
    op.put("callbackUrl", callback.toString()).put("bearerToken", bearerToken);
    ArrayNode targets = s.putArray("targets");
    sites.targetNames().forEach(targets::add);
    Optional<JsonNode> mine = vtn.list("/subscriptions", Map.of("clientName", List.of(clientName))).stream()
        .filter(e -> callback.toString().equals(e.path("objectOperations").path(0).path("callbackUrl").asText()))
        .findFirst();
    if (mine.isPresent()) {
      String id = mine.get().path("id").asText();
      vtn.put("/subscriptions/" + id, s);
      return id;
    }
    return vtn.post("/subscriptions", s).path("id").asText();
  }
}
