package io.bpfwasm.operator.reconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs a reconcile's independent apiserver writes concurrently (virtual threads), with one process-wide bound on
 * writes in flight. A program selecting 500 nodes needs 500 creates; one after another they take 500 round trips.
 */
final class ParallelWrites {
  private static final int MAX_IN_FLIGHT = 32;
  private static final Semaphore PERMITS = new Semaphore(MAX_IN_FLIGHT);

  private ParallelWrites() {}

  /** Runs every write and waits for all; rethrows the first failure after all have finished. */
  static void runAll(List<Runnable> writes) {
    if (writes.size() == 1) {
      writes.get(0).run();
      return;
    }
    List<Future<?>> futures = new ArrayList<>(writes.size());
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Runnable write : writes) {
        futures.add(executor.submit(() -> {
          PERMITS.acquireUninterruptibly();
          try {
            write.run();
          } finally {
            PERMITS.release();
          }
        }));
      }
    }
    RuntimeException first = null;
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        RuntimeException failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        if (first == null) {
          first = failure;
        } else {
          first.addSuppressed(failure);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing assignments", e);
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
