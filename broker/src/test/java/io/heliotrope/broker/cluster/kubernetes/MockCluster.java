package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.heliotrope.broker.config.ClusterConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fake cluster for tests: fabric8's mock API server in CRUD mode (with expectations, for
 * injected errors), a kubeconfig pointing at it, and a record of every write the driver sends.
 * It can be stopped and started again on the same port with its objects kept, like an API server
 * that drops off the network and comes back.
 */
final class MockCluster implements AutoCloseable {
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  /** Kept (JUL holds loggers weakly): the mock server's one line per request stays out of test logs. */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  static {
    QUIET.setLevel(java.util.logging.Level.WARNING);
  }

  final String name;
  private final Resources capacity;
  final Path kubeconfig;
  /** The token of the kubeconfig below: requests bearing it come from a broker, not from the test or kubelet. */
  private static final String BROKER_AUTH = "Bearer test-token";
  private static final Pattern CREATED_NAME = Pattern.compile("\"name\" ?: ?\"(heliotrope-[^\"]+)\"");
  private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
  /** "METHOD path" of each write that reached the server from a client built from the kubeconfig. */
  final List<String> kubeconfigWrites = new CopyOnWriteArrayList<>();
  private final KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(expectations) {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (WRITES.contains(request.getMethod()) && BROKER_AUTH.equals(request.getHeader("Authorization"))) {
        // A create names its object in the body only: record the name so writes can be told apart per job.
        Matcher created = CREATED_NAME.matcher("POST".equals(request.getMethod()) ? body(request) : "");
        kubeconfigWrites.add(request.getMethod() + " " + request.getPath()
            + (created.find() ? " name=" + created.group(1) : ""));
      }
      if (request.getPath().contains("fieldManager=")) {
        // The mock tells a status write by the path's end, which a real API server does not need:
        // the query (here only fieldManager, recorded above) is dropped before it is dispatched.
        String path = request.getPath().replaceAll("[?&]fieldManager=[^&]*", "");
        return super.dispatch(new RecordedRequest(request.getHttpVersion(), request.method(), path,
            request.getHeaders(), request.getBody()));
      }
      return super.dispatch(request);
    }
  };
  private KubernetesMockServer server;
  private final int port;
  private final KubernetesClient admin;
  /** "METHOD path" of each write the driver's client sent, in order. */
  final List<String> driverWrites = new CopyOnWriteArrayList<>();

  MockCluster(String name, Path dir) throws IOException {
    this(name, dir, new Resources(4, 32_000, 131_072));
  }

  /** A cluster whose data centre has this fallback capacity. */
  MockCluster(String name, Path dir, Resources capacity) throws IOException {
    this.name = name;
    this.capacity = capacity;
    server = newServer();
    server.start();
    port = server.getPort();
    kubeconfig = dir.resolve(name + ".kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster: {server: "http://localhost:%2$d"}
        users:
        - name: heliotrope
          user: {token: test-token}
        contexts:
        - name: other
          context: {cluster: nowhere, user: heliotrope}
        - name: %1$s
          context: {cluster: %1$s, user: heliotrope, namespace: default}
        current-context: other
        """.formatted(name, port));
    admin = server.createClient();
  }

  /** The body without consuming it: the CRUD dispatcher still has to read it. */
  private static String body(RecordedRequest request) {
    return new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The API server knows every workload kind's resource, as if their CRDs were installed. */
  private KubernetesMockServer newServer() {
    var s = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, dispatcher, false);
    for (var k : WorkloadManifest.customKinds()) {
      s.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(k.group())
          .withVersion(k.version()).withKind(k.kind()).withPlural(k.plural()).withScope("Namespaced")
          .withStatusSubresource(true).withName(k.plural() + "." + k.group()).build());
    }
    for (var k : io.heliotrope.broker.cluster.kubernetes.kueue.KueueApi.kinds()) {
      // Kueue's own kinds, as its CRDs install them (Workload with a status subresource).
      s.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(k.getGroup())
          .withVersion(k.getVersion()).withKind(k.getKind()).withPlural(k.getPlural())
          .withScope(k.isNamespaceScoped() ? "Namespaced" : "Cluster").withStatusSubresource(true)
          .withName(k.getPlural() + "." + k.getGroup()).build());
    }
    return s;
  }

  /** The cluster as the data centre of that name, with its fallback capacity (4 GPUs unless given). */
  DataCenter dataCenter() {
    return new DataCenter(name, "region-" + name, "ZONE-" + name, name, 1.2, capacity);
  }

  /** Driver config against this cluster via the kubeconfig's (non-current) context; fast outage detection. */
  ClusterConfig config(String namespace) {
    ClusterConfig d = ClusterConfig.of(name, Optional.of(kubeconfig), Optional.of(name), namespace);
    return new ClusterConfig(d.dataCenter(), d.kubeconfig(), d.context(), d.namespace(), 1000, 1000,
        Duration.ofSeconds(2), Duration.ofMillis(600), Duration.ofSeconds(90), "s3://ckpt/" + name, 2,
        Duration.ofHours(1));
  }

  /** A driver built the production way (kubeconfig + context), with its writes recorded. */
  KubernetesClusterDriver driver(String namespace, Clock clock) {
    ClusterConfig cfg = config(namespace);
    KubernetesClient client = KubernetesClients.build(cfg, b -> b.addOrReplaceInterceptor("count", new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (WRITES.contains(request.method())) {
          driverWrites.add(request.method() + " " + request.uri().getPath());
        }
      }
    }));
    return new KubernetesClusterDriver(dataCenter(), cfg, client, clock);
  }

  /** The API server's port (kept across {@link #restart}). */
  int port() {
    return port;
  }

  /** A client for the test itself and the simulated kubelet; its writes are not the driver's. */
  KubernetesClient admin() {
    return admin;
  }

  void addGpuNode(String node, int gpus) {
    admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
        .withNewStatus().withAllocatable(Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus)),
            "cpu", new Quantity("64"), "memory", new Quantity("256Gi"))).endStatus().build()).create();
  }

  /** Next request to {@code method path} is answered with {@code code}, then CRUD again. */
  void failOnce(String method, String path, int code) {
    switch (method) {
      case "POST" -> server.expect().post().withPath(path).andReturn(code, "injected").once();
      case "PATCH" -> server.expect().patch().withPath(path).andReturn(code, "injected").once();
      default -> throw new IllegalArgumentException(method);
    }
  }

  /** The API server drops off the network: connections are refused until {@link #restart}. */
  void stop() {
    server.shutdown();
  }

  /** Back on the same port with every object it had. */
  void restart() {
    server = newServer();
    server.start(port);
  }

  @Override
  public void close() {
    admin.close();
    server.shutdown();
  }
}
