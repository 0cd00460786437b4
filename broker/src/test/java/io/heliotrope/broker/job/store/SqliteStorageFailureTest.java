package io.heliotrope.broker.job.store;

import static io.heliotrope.broker.testing.Jobs.aJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.job.RegistryClosedException;
import io.heliotrope.broker.job.StorageFailedException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite file deleted, replaced or truncated under a running registry: SQLite itself answers
 * every commit OK into the lost file; the store notices and the registry fails closed, with
 * nothing acknowledged after the fault and a failure the broker exits on.
 */
class SqliteStorageFailureTest {
  @TempDir Path dir;

  @Test
  void aDatabaseDeletedWhileIdleFailsTheRegistryWithinSeconds() throws Exception {
    Path db = dir.resolve("heliotrope.db");
    try (JobRegistry registry = new JobRegistry(SqliteJobStore.open(db), Clock.systemUTC(), 1024).start()) {
      CompletableFuture<Throwable> failed = new CompletableFuture<>();
      registry.onFailure(failed::complete);
      registry.submit("before", aJob().domain()).get(10, TimeUnit.SECONDS);
      Files.delete(db);
      Throwable why = failed.get(10, TimeUnit.SECONDS);
      assertInstanceOf(StorageFailedException.class, why);
      assertTrue(why.getMessage().contains("was deleted while the broker ran"), why.getMessage());
      assertRefused(registry.submit("after", aJob().domain()));
    }
  }

  @Test
  void noSubmissionIsAcknowledgedAfterTheFileIsDeletedReplacedOrTruncated() throws Exception {
    for (Consumer<Path> fault : List.<Consumer<Path>>of(SqliteStorageFailureTest::delete,
        SqliteStorageFailureTest::replace, SqliteStorageFailureTest::truncate)) {
      Path db = Files.createTempDirectory(dir, "case").resolve("heliotrope.db");
      try (JobRegistry registry = new JobRegistry(SqliteJobStore.open(db), Clock.systemUTC(), 4096).start()) {
        for (int i = 0; i < 50; i++) {
          registry.submit("before-" + i, aJob().domain()).get(10, TimeUnit.SECONDS);
        }
        fault.accept(db);
        // Submitted at once after the fault, before the idle check can run: each commit checks.
        List<CompletableFuture<?>> after = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          after.add(registry.submit("after-" + i, aJob().domain()));
        }
        int acknowledged = 0;
        for (CompletableFuture<?> f : after) {
          try {
            f.get(10, TimeUnit.SECONDS);
            acknowledged++;
          } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof StorageFailedException || e.getCause() instanceof RegistryClosedException,
                e.getCause().toString());
          }
        }
        assertEquals(0, acknowledged, "submissions acknowledged into a lost database file");
        assertInstanceOf(StorageFailedException.class, registry.failure().orElseThrow());
      }
    }
  }

  private static void assertRefused(CompletableFuture<?> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("accepted after the storage failed");
    } catch (ExecutionException e) {
      assertInstanceOf(RegistryClosedException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("was deleted"), e.getCause().getMessage());
    }
  }

  private static void delete(Path db) {
    try {
      Files.delete(db);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A restore from an old backup over the live file (rename, so the inode changes). */
  private static void replace(Path db) {
    try {
      Path copy = db.resolveSibling("copy.db");
      Files.copy(db, copy);
      Files.move(copy, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void truncate(Path db) {
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
