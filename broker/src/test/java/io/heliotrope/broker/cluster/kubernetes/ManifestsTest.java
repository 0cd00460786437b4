package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.heliotrope.broker.config.ConfigException;
import io.heliotrope.broker.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kustomize bases in k8s/ parse, list only files that exist, and refer to each other
 * consistently (service accounts, roles, config maps, claims, secrets). Where kubectl is on the
 * PATH the base is also built with {@code kubectl kustomize}; where it is not, the test says so.
 */
class ManifestsTest {
  private static final Path K8S = Path.of("..", "k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"broker", "worker", "agent", "kueue"})
  void baseParsesAndIsConsistent(String base) throws Exception {
    Path dir = K8S.resolve(base);
    JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    List<JsonNode> docs = new ArrayList<>();
    for (JsonNode r : kustomization.get("resources")) {
      Path file = dir.resolve(r.asText());
      assertTrue(Files.isRegularFile(file), base + ": kustomization lists missing " + r.asText());
      try (var parser = YAML.getFactory().createParser(file.toFile())) {
        YAML.readValues(parser, JsonNode.class).readAll().stream().filter(n -> !n.isNull()).forEach(docs::add);
      }
    }
    Set<String> defined = new HashSet<>();
    for (JsonNode d : docs) {
      assertTrue(d.hasNonNull("apiVersion") && d.hasNonNull("kind") && d.path("metadata").hasNonNull("name"), d::toString);
      defined.add(d.get("kind").asText() + "/" + d.at("/metadata/name").asText());
    }
    for (JsonNode d : docs) {
      String kind = d.get("kind").asText();
      if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
        String ref = d.at("/roleRef/kind").asText() + "/" + d.at("/roleRef/name").asText();
        assertTrue(defined.contains(ref), base + ": binding to undefined " + ref);
        d.get("subjects").forEach(s -> assertTrue(defined.contains("ServiceAccount/" + s.get("name").asText())
            && s.hasNonNull("namespace"), base + ": subject " + s));
      }
      if (kind.equals("Deployment") || kind.equals("DaemonSet")) {
        checkWorkload(base, d, defined);
      }
    }
    kustomizeBuild(dir);
  }

  private static void checkWorkload(String base, JsonNode w, Set<String> defined) {
    JsonNode pod = w.at("/spec/template/spec");
    assertTrue(defined.contains("ServiceAccount/" + pod.get("serviceAccountName").asText()), base);
    assertEquals(w.at("/spec/selector/matchLabels"), w.at("/spec/template/metadata/labels"), base + ": selector");
    for (JsonNode v : pod.get("volumes")) {
      if (v.has("configMap")) {
        assertTrue(defined.contains("ConfigMap/" + v.at("/configMap/name").asText()), base + ": " + v);
      }
      if (v.has("persistentVolumeClaim")) {
        assertTrue(defined.contains("PersistentVolumeClaim/" + v.at("/persistentVolumeClaim/claimName").asText()), base);
      }
    }
    for (JsonNode c : pod.get("containers")) {
      assertTrue(c.at("/securityContext/readOnlyRootFilesystem").asBoolean(), base + ": read-only root filesystem");
      assertTrue(c.at("/resources/requests").has("cpu") && c.at("/resources/requests").has("memory"), base);
      Set<String> volumes = new HashSet<>();
      pod.get("volumes").forEach(v -> volumes.add(v.get("name").asText()));
      c.get("volumeMounts").forEach(m -> assertTrue(volumes.contains(m.get("name").asText()), base + ": " + m));
    }
  }

  @org.junit.jupiter.api.Test
  void brokerDeploymentRunsNonRootWithGrpcProbesAndItsConfigLoads() throws Exception {
    JsonNode dep = YAML.readTree(K8S.resolve("broker/deployment.yaml").toFile());
    JsonNode pod = dep.at("/spec/template/spec");
    assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
    assertEquals(1, dep.at("/spec/replicas").asInt(), "SQLite: one writer");
    assertEquals("Recreate", dep.at("/spec/strategy/type").asText(), "the old pod lets go of the volume first");
    JsonNode c = pod.get("containers").get(0);
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertEquals(7070, c.at("/" + probe + "/grpc/port").asInt(), probe);
    }
    // A standby is alive but must not be restarted for not leading: liveness asks "liveness".
    assertEquals("liveness", c.at("/livenessProbe/grpc/service").asText());
    // The shipped broker.yaml goes through the real loader: only the kubeconfig, which exists
    // inside the pod (from the heliotrope-kubeconfigs Secret), is missing here.
    JsonNode cm = YAML.readTree(K8S.resolve("broker/configmap.yaml").toFile());
    assertOnlyTheKubeconfigIsMissing(cm, Map.of("POD_NAME", "heliotrope-broker-0"));
  }

  /** The shipped broker.yaml through the real loader, with the pod's environment: only the kubeconfig is missing. */
  private void assertOnlyTheKubeconfigIsMissing(JsonNode configMap, Map<String, String> podEnv) throws IOException {
    Path file = Files.writeString(tmp.resolve("broker.yaml"), configMap.at("/data/broker.yaml").asText());
    Map<String, String> env = new java.util.HashMap<>(podEnv);
    env.putAll(Map.of("HELIOTROPE_OPERATOR_TOKEN", "o".repeat(32), "HELIOTROPE_DISPATCH_TOKEN", "d".repeat(32),
        "HELIOTROPE_AGENT_TOKEN", "a".repeat(32)));
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(env).load(Optional.of(file), ConfigLoader.Overrides.none()));
    assertEquals(List.of("clusters[1].kubeconfig: cannot read /etc/heliotrope/kubeconfigs/remote.yaml"),
        e.problems());
  }

  /**
   * The PostgreSQL overlay, as kubectl renders it: two replicas on different nodes, a disruption
   * budget, no claim, and a broker.yaml the real loader accepts with its store in PostgreSQL.
   */
  @org.junit.jupiter.api.Test
  void highAvailabilityOverlayRendersTwoReplicasOnPostgresql() throws Exception {
    List<JsonNode> docs = rendered(K8S.resolve("broker-ha"));
    Map<String, JsonNode> byKind = new java.util.HashMap<>();
    docs.forEach(d -> byKind.put(d.get("kind").asText() + "/" + d.at("/metadata/name").asText(), d));
    assertTrue(byKind.keySet().stream().noneMatch(k -> k.startsWith("PersistentVolumeClaim/")), byKind.keySet()::toString);
    JsonNode dep = byKind.get("Deployment/heliotrope-broker");
    assertEquals(2, dep.at("/spec/replicas").asInt());
    assertEquals("RollingUpdate", dep.at("/spec/strategy/type").asText());
    assertEquals("kubernetes.io/hostname", dep.at(
        "/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/topologyKey").asText());
    JsonNode data = null;
    for (JsonNode v : dep.at("/spec/template/spec/volumes")) {
      if (v.get("name").asText().equals("data")) {
        data = v;
      }
    }
    assertTrue(data != null && data.has("emptyDir") && !data.has("persistentVolumeClaim"), String.valueOf(data));
    Set<String> env = new HashSet<>();
    dep.at("/spec/template/spec/containers/0/env").forEach(e -> env.add(e.get("name").asText()));
    assertTrue(env.containsAll(List.of("POD_IP", "HELIOTROPE_PG_PASSWORD", "POD_NAME")), env::toString);
    JsonNode pdb = byKind.get("PodDisruptionBudget/heliotrope-broker");
    assertEquals(dep.at("/spec/template/metadata/labels"), pdb.at("/spec/selector/matchLabels"));
    assertEquals(1, pdb.at("/spec/maxUnavailable").asInt(), "a drain takes one pod at a time, and can proceed");

    assertOnlyTheKubeconfigIsMissing(byKind.get("ConfigMap/heliotrope-broker-config"),
        Map.of("HELIOTROPE_PG_PASSWORD", "secret"));
  }

  @org.junit.jupiter.api.Test
  void noManifestCarriesAPlaceholder() throws IOException {
    try (var files = Files.walk(K8S)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertTrue(!Files.readString(f).contains("CHANGE-ME"), f + " has a CHANGE-ME placeholder");
      }
    }
  }

  /** Each agent site names its broker, cluster and data centre; the agent gets no API access. */
  @ParameterizedTest
  @ValueSource(strings = {"home", "remote"})
  void agentSiteRendersWithItsNamesAndNoApiAccess(String site) throws Exception {
    List<JsonNode> docs = rendered(K8S.resolve("agent-sites").resolve(site));
    JsonNode siteMap = one(docs, "ConfigMap");
    assertEquals(Set.of("broker", "cluster", "data-center"), fieldNames(siteMap.get("data")));
    assertEquals(site, siteMap.at("/data/cluster").asText());
    JsonNode ds = one(docs, "DaemonSet");
    JsonNode pod = ds.at("/spec/template/spec");
    JsonNode agent = pod.get("containers").get(0);
    Set<String> fromSite = new HashSet<>();
    for (JsonNode e : agent.get("env")) {
      JsonNode ref = e.at("/valueFrom/configMapKeyRef");
      if (!ref.isMissingNode()) {
        assertEquals(siteMap.at("/metadata/name").asText(), ref.get("name").asText(), e.toString());
        assertTrue(siteMap.get("data").has(ref.get("key").asText()), e.toString());
        fromSite.add(e.get("name").asText());
      }
    }
    assertEquals(Set.of("HELIOTROPE_BROKER", "HELIOTROPE_CLUSTER", "HELIOTROPE_DATA_CENTER"), fromSite);
    assertTrue(docs.stream().noneMatch(d -> d.get("kind").asText().matches("(Cluster)?Role(Binding)?")),
        "the agent calls no Kubernetes API and needs no role");
    assertEquals(false, pod.get("automountServiceAccountToken").asBoolean(true));
    Set<String> ports = new HashSet<>();
    agent.get("ports").forEach(p -> ports.add(p.get("name").asText()));
    for (String probe : List.of("livenessProbe", "readinessProbe")) {
      assertTrue(ports.contains(agent.at("/" + probe + "/httpGet/port").asText()), probe + " on a declared port");
    }
  }

  /**
   * The Kueue base, as kubectl renders it: the ClusterQueue goes through the MultiKueue admission
   * check, whose MultiKueueConfig names existing MultiKueueClusters; the LocalQueue and flavor
   * resolve; the admission policy adds the gate the broker removes; the role allows exactly the
   * broker's calls in the manager cluster.
   */
  @org.junit.jupiter.api.Test
  void kueueBaseWiresTheMultiKueueCheckTheGateAndTheBrokersCalls() throws Exception {
    List<JsonNode> docs = rendered(K8S.resolve("kueue"));
    Map<String, JsonNode> byKind = new java.util.HashMap<>();
    docs.forEach(d -> byKind.put(d.get("kind").asText() + "/" + d.at("/metadata/name").asText(), d));
    JsonNode cq = byKind.get("ClusterQueue/heliotrope-multikueue");
    String check = cq.at("/spec/admissionChecks/0").asText();
    JsonNode ac = byKind.get("AdmissionCheck/" + check);
    assertEquals("kueue.x-k8s.io/multikueue", ac.at("/spec/controllerName").asText());
    JsonNode mk = byKind.get(ac.at("/spec/parameters/kind").asText() + "/" + ac.at("/spec/parameters/name").asText());
    assertTrue(mk != null && mk.at("/spec/clusters").size() > 0, "the check's MultiKueueConfig exists");
    mk.at("/spec/clusters").forEach(c -> assertTrue(byKind.containsKey("MultiKueueCluster/" + c.asText()), c::asText));
    cq.at("/spec/resourceGroups/0/flavors").forEach(f ->
        assertTrue(byKind.containsKey("ResourceFlavor/" + f.get("name").asText()), f::toString));
    assertEquals("heliotrope-multikueue", byKind.get("LocalQueue/vision").at("/spec/clusterQueue").asText());
    JsonNode policy = byKind.get("MutatingAdmissionPolicy/heliotrope-admission-gate");
    assertTrue(policy.at("/spec/mutations/0/applyConfiguration/expression").asText().contains(
        "\"" + io.heliotrope.broker.cluster.kubernetes.kueue.KueueApi.GATED_BY + "\": \""
            + io.heliotrope.broker.config.KueueConfig.DEFAULT_GATE + "\""), "the policy adds the broker's gate");
    assertEquals(policy.at("/metadata/name").asText(),
        byKind.get("MutatingAdmissionPolicyBinding/heliotrope-admission-gate").at("/spec/policyName").asText());
    Set<String> granted = new HashSet<>();
    byKind.get("ClusterRole/heliotrope-kueue").at("/rules").forEach(r -> r.get("resources").forEach(res ->
        r.get("verbs").forEach(v -> granted.add(res.asText() + ":" + v.asText()))));
    assertTrue(granted.containsAll(List.of("workloads:watch", "workloads:list", "workloads:patch",
        "workloads/status:patch", "jobs:get", "jobs:patch")), granted::toString);
    assertTrue(granted.stream().noneMatch(g -> g.endsWith(":create") || g.endsWith(":delete")),
        "the broker creates and deletes nothing in the manager cluster: " + granted);
  }

  /** The NetworkPolicy selects the broker's pods and names its ports. */
  @org.junit.jupiter.api.Test
  void brokerNetworkPolicyCoversItsPods() throws Exception {
    List<JsonNode> docs = rendered(K8S.resolve("broker"));
    JsonNode dep = one(docs, "Deployment");
    JsonNode labels = dep.at("/spec/template/metadata/labels");
    JsonNode policy = one(docs, "NetworkPolicy");
    assertEquals(labels, policy.at("/spec/podSelector/matchLabels"));
    Set<String> declared = new HashSet<>();
    dep.at("/spec/template/spec/containers/0/ports").forEach(p -> declared.add(p.get("name").asText()));
    Set<String> allowed = new HashSet<>();
    policy.at("/spec/ingress").forEach(rule -> rule.get("ports").forEach(p -> allowed.add(p.get("port").asText())));
    assertEquals(declared, allowed, "every container port and nothing else is reachable");
  }

  /** The operator's PrometheusRule carries the same rules as the plain file promtool tests. */
  @org.junit.jupiter.api.Test
  void prometheusRuleIsTheRulesFile() throws Exception {
    JsonNode rule = YAML.readTree(K8S.resolve("monitoring/prometheus-operator/prometheusrule.yaml").toFile());
    JsonNode file = YAML.readTree(K8S.resolve("monitoring/heliotrope-alerts.yaml").toFile());
    assertEquals(file.get("groups"), rule.at("/spec/groups"), "prometheusrule.yaml and heliotrope-alerts.yaml differ");
  }

  /**
   * The ServiceMonitor and PodMonitor select what the bases deploy, on declared ports, and give
   * the series the job labels the alert rules match on.
   */
  @org.junit.jupiter.api.Test
  void monitorsScrapeTheDeployedPodsUnderTheJobsTheAlertsUse() throws Exception {
    List<JsonNode> monitoring = rendered(K8S.resolve("monitoring/prometheus-operator"));
    List<JsonNode> broker = rendered(K8S.resolve("broker"));
    List<JsonNode> agent = rendered(K8S.resolve("agent-sites/home"));
    JsonNode service = one(broker, "Service");
    JsonNode serviceMonitor = one(monitoring, "ServiceMonitor");
    serviceMonitor.at("/spec/selector/matchLabels").fields().forEachRemaining(l ->
        assertEquals(l.getValue(), service.at("/metadata/labels").get(l.getKey()), "ServiceMonitor selects the Service"));
    assertTrue(serviceMonitor.at("/spec/namespaceSelector/matchNames").toString()
        .contains(service.at("/metadata/namespace").asText()));
    Set<String> servicePorts = new HashSet<>();
    service.at("/spec/ports").forEach(p -> servicePorts.add(p.get("name").asText()));
    assertTrue(servicePorts.contains(serviceMonitor.at("/spec/endpoints/0/port").asText()));

    JsonNode ds = one(agent, "DaemonSet");
    JsonNode podMonitor = one(monitoring, "PodMonitor");
    JsonNode podLabels = ds.at("/spec/template/metadata/labels");
    assertEquals(podMonitor.at("/spec/selector/matchLabels"), podLabels);
    Set<String> agentPorts = new HashSet<>();
    ds.at("/spec/template/spec/containers/0/ports").forEach(p -> agentPorts.add(p.get("name").asText()));
    assertTrue(agentPorts.contains(podMonitor.at("/spec/podMetricsEndpoints/0/port").asText()));

    Set<String> jobs = Set.of(service.at("/metadata/name").asText(),
        podLabels.get(podMonitor.at("/spec/jobLabel").asText()).asText());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("job=\"([^\"]+)\"")
        .matcher(Files.readString(K8S.resolve("monitoring/heliotrope-alerts.yaml")));
    int n = 0;
    while (m.find()) {
      assertTrue(jobs.contains(m.group(1)), "alert matches job " + m.group(1) + ", scraped jobs are " + jobs);
      n++;
    }
    assertTrue(n > 0, "expected an alert on a scrape job");
  }

  /**
   * The TLS overlay: a Gateway terminates TLS on 443 for the certificate's name with the Secret
   * cert-manager writes, and routes gRPC to the broker's Service port; the certificate comes from
   * the private CA issuer the overlay defines, whose CA certificate is self-signed.
   */
  @org.junit.jupiter.api.Test
  void tlsOverlayServesGrpcThroughAGatewayWithACertManagerCertificate() throws Exception {
    List<JsonNode> docs = rendered(K8S.resolve("broker-tls"));
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    docs.forEach(d -> byName.put(d.get("kind").asText() + "/" + d.at("/metadata/name").asText(), d));
    JsonNode gateway = one(docs, "Gateway");
    JsonNode listener = gateway.at("/spec/listeners/0");
    assertEquals("HTTPS", listener.get("protocol").asText());
    assertEquals(443, listener.get("port").asInt());
    assertEquals("Terminate", listener.at("/tls/mode").asText());
    JsonNode serving = docs.stream().filter(d -> d.get("kind").asText().equals("Certificate")
        && d.at("/spec/secretName").asText().equals(listener.at("/tls/certificateRefs/0/name").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("no Certificate writes the Gateway's Secret"));
    assertTrue(serving.at("/spec/dnsNames").toString().contains("\"" + listener.get("hostname").asText() + "\""));
    assertEquals(gateway.at("/metadata/namespace"), serving.at("/metadata/namespace"), "the Secret is the Gateway's namespace's");
    JsonNode issuer = byName.get("Issuer/" + serving.at("/spec/issuerRef/name").asText());
    assertTrue(issuer != null && issuer.at("/spec/ca").has("secretName"), "the serving certificate's issuer is a CA issuer");
    JsonNode ca = docs.stream().filter(d -> d.get("kind").asText().equals("Certificate")
        && d.at("/spec/secretName").asText().equals(issuer.at("/spec/ca/secretName").asText())).findFirst().orElseThrow();
    assertTrue(ca.at("/spec/isCA").asBoolean());
    assertTrue(byName.get("Issuer/" + ca.at("/spec/issuerRef/name").asText()).at("/spec").has("selfSigned"));

    JsonNode route = one(docs, "GRPCRoute");
    assertEquals(gateway.at("/metadata/name").asText(), route.at("/spec/parentRefs/0/name").asText());
    assertEquals(listener.get("name").asText(), route.at("/spec/parentRefs/0/sectionName").asText());
    JsonNode service = one(docs, "Service");
    JsonNode backend = route.at("/spec/rules/0/backendRefs/0");
    assertEquals(service.at("/metadata/name").asText(), backend.get("name").asText());
    JsonNode grpcPort = null;
    for (JsonNode port : service.at("/spec/ports")) {
      if (port.get("port").asInt() == backend.get("port").asInt()) {
        grpcPort = port;
      }
    }
    assertTrue(grpcPort != null && grpcPort.get("appProtocol").asText().equals("kubernetes.io/h2c"), String.valueOf(grpcPort));
  }

  /** Remote agents over TLS: the site dials the Gateway's name on 443 and trusts the CA from a mounted Secret. */
  @org.junit.jupiter.api.Test
  void remoteTlsAgentSiteDialsTheGatewayAndTrustsTheCa() throws Exception {
    List<JsonNode> docs = rendered(K8S.resolve("agent-sites/remote-tls"));
    JsonNode listener = one(rendered(K8S.resolve("broker-tls")), "Gateway").at("/spec/listeners/0");
    assertEquals(listener.get("hostname").asText() + ":" + listener.get("port").asInt(),
        one(docs, "ConfigMap").at("/data/broker").asText());
    JsonNode pod = one(docs, "DaemonSet").at("/spec/template/spec");
    String caFile = null;
    for (JsonNode arg : pod.at("/containers/0/args")) {
      if (arg.asText().startsWith("--ca-file=")) {
        caFile = arg.asText().substring("--ca-file=".length());
      }
    }
    assertTrue(caFile != null, "the agent is started with --ca-file (TLS)");
    String mount = null;
    for (JsonNode m : pod.at("/containers/0/volumeMounts")) {
      if (caFile.startsWith(m.get("mountPath").asText() + "/")) {
        mount = m.get("name").asText();
      }
    }
    for (JsonNode v : pod.get("volumes")) {
      if (v.get("name").asText().equals(mount)) {
        assertEquals("heliotrope-broker-ca", v.at("/secret/secretName").asText());
        return;
      }
    }
    throw new AssertionError(caFile + " is on no volume from the CA Secret");
  }

  /**
   * Kinds without a typed model here: cert-manager's and the Prometheus operator's (fabric8's
   * certmanager-model and openshift-model-monitoring, which the Maven mirror here does not serve)
   * and Kueue's (no fabric8 model exists). The schema check cannot read them; the tests above
   * check them field by field.
   */
  private static final Set<String> UNMODELLED = Set.of("cert-manager.io/v1 Certificate", "cert-manager.io/v1 Issuer",
      "monitoring.coreos.com/v1 ServiceMonitor", "monitoring.coreos.com/v1 PodMonitor",
      "monitoring.coreos.com/v1 PrometheusRule", "kueue.x-k8s.io/v1beta1 AdmissionCheck",
      "kueue.x-k8s.io/v1beta1 ClusterQueue", "kueue.x-k8s.io/v1beta1 LocalQueue",
      "kueue.x-k8s.io/v1beta1 MultiKueueCluster", "kueue.x-k8s.io/v1beta1 MultiKueueConfig",
      "kueue.x-k8s.io/v1beta1 ResourceFlavor");

  /** Every object every kustomization in k8s/ renders passes the schema check of {@link StrictModel}. */
  @org.junit.jupiter.api.Test
  void everyRenderedObjectParsesStrictlyIntoItsTypedModel() throws Exception {
    List<Path> dirs;
    try (var files = Files.walk(K8S)) {
      dirs = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).sorted().toList();
    }
    assertTrue(dirs.size() >= 10, dirs::toString);
    List<String> problems = new ArrayList<>();
    Set<String> unmodelled = new HashSet<>();
    int checked = 0;
    for (Path dir : dirs) {
      for (JsonNode object : rendered(dir)) {
        String kind = object.get("apiVersion").asText() + " " + object.get("kind").asText();
        if (UNMODELLED.contains(kind)) {
          unmodelled.add(kind);
          continue;
        }
        StrictModel.problems(object).forEach(p -> problems.add(K8S.relativize(dir) + ": " + p));
        checked++;
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(checked > 50, "objects checked: " + checked);
    assertEquals(UNMODELLED, unmodelled, "the list of unmodelled kinds is what k8s/ renders");
  }

  /** The schema check fails on a misspelt field, a wrong type and a kind it has no model of. */
  @org.junit.jupiter.api.Test
  void theSchemaCheckFindsMisspeltFieldsWrongTypesAndUnknownKinds() throws Exception {
    JsonNode deployment = YAML.readTree(K8S.resolve("broker/deployment.yaml").toFile());
    assertEquals(List.of(), StrictModel.problems(deployment));
    JsonNode misspelt = deployment.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) misspelt.at("/spec/template/spec/containers/0"))
        .put("imagePullPolice", "Always");
    assertEquals(List.of("Deployment/heliotrope-broker: spec.template.spec.containers[0].imagePullPolice: "
        + "unknown field for Container"), StrictModel.problems(misspelt));
    JsonNode wrongType = deployment.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) wrongType.get("spec")).put("replicas", "two");
    List<String> typeProblems = StrictModel.problems(wrongType);
    assertEquals(1, typeProblems.size(), typeProblems::toString);
    assertTrue(typeProblems.get(0).contains("two"), typeProblems::toString);
    JsonNode unknownKind = YAML.readTree("{apiVersion: example.com/v1, kind: Widget, metadata: {name: w}}");
    assertEquals(List.of("Widget/w: no typed model of example.com/v1 Widget"), StrictModel.problems(unknownKind));
  }

  private static JsonNode one(List<JsonNode> docs, String kind) {
    List<JsonNode> found = docs.stream().filter(d -> d.get("kind").asText().equals(kind)).toList();
    assertEquals(1, found.size(), kind + ": " + found);
    return found.get(0);
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** {@code kubectl kustomize DIR} parsed; skipped (with the reason) where kubectl is missing. */
  private static List<JsonNode> rendered(Path dir) throws IOException, InterruptedException {
    Optional<Path> kubectl = kubectl();
    org.junit.jupiter.api.Assumptions.assumeTrue(kubectl.isPresent(),
        "kubectl is not on PATH: the rendered objects of " + dir + " were not checked");
    Process p = new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString()).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize hung");
    assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ":\n" + err);
    try (var parser = YAML.getFactory().createParser(out)) {
      return YAML.readValues(parser, JsonNode.class).readAll().stream().filter(n -> !n.isNull()).toList();
    }
  }

  private static Optional<Path> kubectl() {
    return Optional.ofNullable(System.getenv("PATH")).stream()
        .flatMap(p -> List.of(p.split(java.io.File.pathSeparator)).stream())
        .map(p -> Path.of(p, "kubectl")).filter(Files::isExecutable).findFirst();
  }

  private static void kustomizeBuild(Path dir) throws IOException, InterruptedException {
    Optional<Path> kubectl = kubectl();
    if (kubectl.isEmpty()) {
      System.out.println("ManifestsTest: kubectl is not on PATH; `kubectl kustomize " + dir
          + "` was NOT run (YAML and references were checked)");
      return;
    }
    Process p = new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize hung");
    assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ":\n" + out);
  }
}
