package io.heliotrope.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI images Jib writes (`mvn -Pimages package`: broker/target/jib-image.tar and
 * agents/target/jib-image.tar) run. Each tarball's layers are unpacked, in the manifest's order,
 * into a directory, and the image's own entrypoint, environment and user are run there with
 * chroot in a private mount namespace with /proc mounted, as a container runtime would: the
 * broker's --version and --help, the agent's default command, and the DaemonSet's class-data
 * sharing init container followed by the agent's JVM mapping that archive. The manifests in k8s/
 * must name the tags the images carry. Needs root (chroot, mount); fails when CI=true and it is
 * missing, like the tarballs.
 */
class ImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path K8S = Path.of("..", "k8s");

  record Image(String ref, Path root, List<String> entrypoint, List<String> cmd, Map<String, String> env,
      String user) {}

  record Run(int exit, String output) {}

  @TempDir static Path work;

  @BeforeAll
  static void needsRoot() throws IOException {
    boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    require(root, "ImageIT runs the images with chroot and needs root");
  }

  @Test
  void brokerImageRunsItsEntrypoint() throws Exception {
    Image image = unpack(Path.of("..", "broker", "target", "jib-image.tar"), "broker");
    assertEquals(manifestImage(K8S.resolve("broker/deployment.yaml"), "/spec/template/spec/containers/0/image"),
        image.ref(), "k8s/broker/deployment.yaml names the tag the image carries");
    assertEquals(List.of("serve", "--config", "/etc/heliotrope/broker.yaml"), image.cmd());
    assertEquals("10001:10001", image.user());
    assertTrue(Files.size(image.root().resolve("opt/java/lib/security/cacerts")) > 10_000,
        "the trust store is in the image (HTTPS to signal providers, TLS to clusters)");

    Run version = run(image, concat(image.entrypoint(), "--version"));
    assertEquals(0, version.exit(), version.output());
    assertTrue(version.output().startsWith("heliotrope "), version.output());
    Run help = run(image, concat(image.entrypoint(), "--help"));
    assertEquals(0, help.exit(), help.output());
    assertTrue(help.output().contains("serve"), help.output());
  }

  @Test
  void agentImageRunsItsCommandAndTheDaemonSetsClassDataSharing() throws Exception {
    Image image = unpack(Path.of("target", "jib-image.tar"), "agent");
    JsonNode pod = YAML.readTree(K8S.resolve("agent/daemonset.yaml").toFile()).at("/spec/template/spec");
    assertEquals(pod.at("/containers/0/image").asText(), image.ref(), "k8s/agent/daemonset.yaml names the image's tag");
    assertEquals(pod.at("/initContainers/0/image").asText(), image.ref());

    List<String> defaults = new ArrayList<>(image.entrypoint());
    defaults.addAll(image.cmd());
    Run help = run(image, defaults);
    assertEquals(0, help.exit(), help.output());
    assertTrue(help.output().contains("run"), help.output());

    // The init container's command as the DaemonSet has it, writing into /cds (an emptyDir there).
    Path cds = Files.createDirectories(image.root().resolve("cds"));
    Files.setAttribute(cds, "unix:uid", 10001);
    List<String> dump = strings(pod.at("/initContainers/0/command"));
    Run dumped = run(image, dump);
    assertEquals(0, dumped.exit(), dumped.output());
    assertTrue(Files.size(cds.resolve("agent.jsa")) > 1_000_000, dumped.output());

    // The agent container's JVM options and class path, up to its main class, then `run --help`:
    // with -Xshare:on the JVM refuses to start if it cannot map the archive.
    List<String> agent = new ArrayList<>(strings(pod.at("/containers/0/command")));
    List<String> args = strings(pod.at("/containers/0/args"));
    int main = args.indexOf("io.heliotrope.agent.cli.AgentMain");
    assertTrue(main > 0, "the agent container starts the image's main class: " + args);
    agent.addAll(args.subList(0, main));
    agent.addAll(List.of("-Xshare:on", "-Xlog:class+load=info", args.get(main), "run", "--help"));
    Run mapped = run(image, agent);
    assertEquals(0, mapped.exit(), mapped.output());
    assertTrue(mapped.output().contains("io.heliotrope.agent.cli.RunCommand source: shared objects file"),
        mapped.output());
  }

  private static Image unpack(Path tarball, String name) throws Exception {
    require(Files.isRegularFile(tarball), tarball + " is missing: build the images with `mvn -B -Pimages package`");
    Path layout = Files.createDirectories(work.resolve(name + "-layout"));
    Path root = Files.createDirectories(work.resolve(name + "-root"));
    exec(List.of("tar", "-xf", tarball.toAbsolutePath().toString(), "-C", layout.toString()));
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertEquals(1, index.get("manifests").size(), index.toString());
    JsonNode entry = index.get("manifests").get(0);
    JsonNode manifest = JSON.readTree(blob(layout, entry.get("digest").asText()).toFile());
    for (JsonNode layer : manifest.get("layers")) {
      assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layer.get("mediaType").asText());
      exec(List.of("tar", "-xzf", blob(layout, layer.get("digest").asText()).toString(), "-C", root.toString()));
    }
    Files.createDirectories(root.resolve("proc"));
    JsonNode config = JSON.readTree(blob(layout, manifest.at("/config/digest").asText()).toFile()).get("config");
    Map<String, String> env = new HashMap<>();
    config.get("Env").forEach(e -> env.put(e.asText().substring(0, e.asText().indexOf('=')),
        e.asText().substring(e.asText().indexOf('=') + 1)));
    return new Image(entry.at("/annotations/org.opencontainers.image.ref.name").asText(), root,
        strings(config.get("Entrypoint")), strings(config.path("Cmd")), env, config.get("User").asText());
  }

  /** The command inside the image's root, as its user, with only the image's environment. */
  private static Run run(Image image, List<String> command) throws Exception {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--propagation", "private",
        "/bin/sh", "-c", "root=$1; user=$2; shift 2; /bin/mount -t proc proc \"$root/proc\""
            + " && exec /usr/sbin/chroot --userspec=\"$user\" \"$root\" \"$@\"",
        "sh", image.root().toString(), image.user()));
    argv.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(image.env());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not exit: " + command);
    return new Run(p.exitValue(), out);
  }

  private static String manifestImage(Path file, String pointer) throws IOException {
    return YAML.readTree(file.toFile()).at(pointer).asText();
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static void exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not exit: " + command);
    assertEquals(0, p.exitValue(), command + ": " + out);
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> list = new ArrayList<>(head);
    list.addAll(List.of(tail));
    return list;
  }

  private static void require(boolean condition, String reason) {
    if (!condition && "true".equals(System.getenv("CI"))) {
      fail(reason);
    }
    Assumptions.assumeTrue(condition, reason);
  }
}
