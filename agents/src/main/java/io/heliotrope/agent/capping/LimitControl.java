package io.heliotrope.agent.capping;

import java.io.IOException;
import java.util.List;

/** One kind of cappable device on the node (NVIDIA GPUs, RAPL packages): read and set limits. */
public interface LimitControl {
  /** The selector that names every device of this kind in a cap command: "gpu", "package". */
  String kind();

  /** The devices and their limits now; empty when the node has none of this kind. */
  List<DeviceLimit> read() throws IOException;

  /** Sets one device's limit; the caller has checked it against the device's range. */
  void set(String device, double watts) throws IOException;
}
