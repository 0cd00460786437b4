package io.heliotrope.agent.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysTreeTest {
  @Test
  void theReusedBufferReturnsEachFileWholeWhateverItsSize(@TempDir Path dir) throws IOException {
    String big = "cpu  1 2 3 4\n" + "x".repeat(40_000) + "\nend";
    Files.writeString(dir.resolve("big"), big);
    Files.writeString(dir.resolve("small"), "42\n");
    Files.writeString(dir.resolve("empty"), "");
    SysTree sys = SysTree.at(dir);
    assertEquals("42", sys.read(dir.resolve("small")));
    assertEquals(big, sys.read(dir.resolve("big")));
    // A shorter file after a longer one: nothing of the previous content may leak through.
    assertEquals(42, sys.readLong(dir.resolve("small")));
    assertEquals("", sys.read(dir.resolve("empty")));
    assertEquals(big, SysTree.readSmallFile(dir.resolve("big")));
  }

  @Test
  void missingFilesAndGarbageAreIoExceptions(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("garbage"), "12abc");
    SysTree sys = SysTree.at(dir);
    assertThrows(NoSuchFileException.class, () -> sys.read(dir.resolve("missing")));
    assertThrows(IOException.class, () -> sys.readLong(dir.resolve("garbage")));
  }
}
