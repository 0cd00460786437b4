package io.heliotrope.broker.signal.providers;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link HttpPort} over java.net.http; each request carries its own timeout. */
public final class JdkHttpPort implements HttpPort {
  private final HttpClient client;

  public JdkHttpPort(Duration connectTimeout) {
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  @Override
  public Response send(Request request) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(request.timeout()).GET();
    request.headers().forEach(b::header);
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + request, e);
    }
  }
}
