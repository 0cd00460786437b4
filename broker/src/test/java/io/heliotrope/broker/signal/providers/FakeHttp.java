package io.heliotrope.broker.signal.providers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers requests from recorded fixtures by URI path, and remembers what was asked. */
final class FakeHttp implements HttpPort {
  final List<Request> requests = new ArrayList<>();
  private final Map<String, Response> byPath = new LinkedHashMap<>();

  FakeHttp on(String path, int status, String fixture) {
    byPath.put(path, new Response(status, fixture == null ? "" : fixture(fixture)));
    return this;
  }

  static String fixture(String name) {
    try (InputStream in = FakeHttp.class.getResourceAsStream("/signal/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long count(String path) {
    return requests.stream().filter(r -> r.uri().getPath().equals(path)).count();
  }

  @Override
  public Response send(Request request) throws IOException {
    requests.add(request);
    Response r = byPath.get(request.uri().getPath());
    if (r == null) {
      throw new IOException("connection refused");
    }
    return r;
  }
}
