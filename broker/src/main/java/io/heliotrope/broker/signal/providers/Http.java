package io.heliotrope.broker.signal.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Shared plumbing of the HTTP providers: status checks that never echo secrets, JSON parsing. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();

  private Http() {}

  static HttpPort.Response get(HttpPort port, HttpPort.Request request, String provider) throws ProviderException {
    try {
      return port.send(request);
    } catch (IOException e) {
      // Name the exception type, not its message: some clients put the URL (and its token) there.
      throw new ProviderException(provider + ": " + e.getClass().getSimpleName() + " on " + request, e);
    }
  }

  static JsonNode json(HttpPort.Response r, HttpPort.Request request, String provider) throws ProviderException {
    if (!r.ok()) {
      throw new ProviderException(provider + ": HTTP " + r.status() + " from " + request);
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new ProviderException(provider + ": unreadable JSON from " + request, e);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
