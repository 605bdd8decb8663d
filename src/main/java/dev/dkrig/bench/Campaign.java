package dev.dkrig.bench;

import dev.dkrig.pairing.PairingOutcome;
import dev.dkrig.pairing.RunListener;
import dev.dkrig.report.ApduLog;
import dev.dkrig.report.RunMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Many pairings on one loaded bench (issue 17): {@code --repeat N --parallel K} and the pads of one
 * process are a list of {@link PairRequest}s in, a list of outcomes out. The rig and profile are
 * read once ({@link Bench#with}); what the command line does around each run (evidence files, a
 * progress line, the summary) is an {@link Observer}, so the summary is built from the outcomes in
 * memory, never from reports read back.
 *
 * <p>Runs go in one of two shapes: {@link #shared} (K workers take the next request from one queue:
 * a soak) or {@link #lanes} (one worker per lane, its requests one after the other: one lane per
 * pad, so that a reader never runs two pairings at once).
 */
public final class Campaign {
  /** One finished run: its outcome and what its reports need. */
  public record Result(int index, PairingOutcome outcome, RunMetadata metadata, ApduLog apdus) {}

  /** What happens around each run; called on the run's own thread. */
  public interface Observer {
    /** Run {@code index} is prepared: returns the listener that records its evidence. */
    RunListener starting(int index, Bench.Run run);

    /** Run {@code index} ended with its outcome. */
    void finished(Result result);

    /** Run {@code index} could not be prepared (its files, its reader): it has no outcome. */
    void notPrepared(int index, RuntimeException cause);

    /** Run {@code index} ended without an outcome (a bug in the run): close what it opened. */
    void unfinished(int index);
  }

  /** One request with its index (from 1, in the order given). */
  private record Numbered(int index, PairRequest request) {}

  private final Bench bench;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> workers = new CopyOnWriteArrayList<>();

  public Campaign(Bench bench) {
    this.bench = bench;
  }

  /**
   * K workers side by side, each taking the next request: the order of {@code requests} is the
   * order of the indexes, not of the ends.
   *
   * @return the outcome of each request, in the order given; empty where it never ran
   */
  public List<Optional<PairingOutcome>> shared(
      List<PairRequest> requests, int parallel, String threadName, Observer observer)
      throws InterruptedException {
    ConcurrentLinkedQueue<Numbered> queue = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < requests.size(); i++) {
      queue.add(new Numbered(i + 1, requests.get(i)));
    }
    List<ConcurrentLinkedQueue<Numbered>> sources = new ArrayList<>();
    for (int k = 0; k < Math.min(parallel, Math.max(1, requests.size())); k++) {
      sources.add(queue);
    }
    return run(sources, requests.size(), threadName, observer);
  }

  /**
   * Ctrl-C or SIGTERM: no run starts any more, and each running one ends its current step as ERROR
   * with its evidence written (the pairing reads the interrupt).
   */
  public void stop() {
    stopping.set(true);
    workers.forEach(Thread::interrupt);
  }

  private List<Optional<PairingOutcome>> run(
      List<ConcurrentLinkedQueue<Numbered>> sources,
      int count,
      String threadName,
      Observer observer)
      throws InterruptedException {
    List<Optional<PairingOutcome>> outcomes =
        Collections.synchronizedList(new ArrayList<>(Collections.nCopies(count, Optional.empty())));
    List<Thread> started = new ArrayList<>();
    for (int k = 0; k < sources.size(); k++) {
      ConcurrentLinkedQueue<Numbered> source = sources.get(k);
      String name = threadName + "-" + (k + 1);
      Thread worker =
          new Thread(
              () -> {
                for (Numbered next = source.poll();
                    next != null && !stopping.get();
                    next = source.poll()) {
                  int index = next.index();
                  runOne(next, observer)
                      .ifPresent(outcome -> outcomes.set(index - 1, Optional.of(outcome)));
                }
              },
              name);
      workers.add(worker);
      started.add(worker);
    }
    if (stopping.get()) {
      return List.copyOf(outcomes);
    }
    started.forEach(Thread::start);
    try {
      for (Thread worker : started) {
        worker.join();
      }
    } catch (InterruptedException e) {
      stop();
      for (Thread worker : started) {
        worker.join();
      }
      throw e;
    }
    return List.copyOf(outcomes);
  }

  private Optional<PairingOutcome> runOne(Numbered next, Observer observer) {
    List<RunListener> listeners = new CopyOnWriteArrayList<>();
    listeners.add(next.request().listener());
    PairRequest request =
        next.request()
            .forRun(next.request().seed(), next.request().dump(), RunListener.all(listeners));
    Bench.Run run;
    try {
      run = bench.with(request).prepare();
    } catch (ConfigException | java.io.UncheckedIOException e) {
      observer.notPrepared(next.index(), e);
      return Optional.empty();
    }
    listeners.add(observer.starting(next.index(), run));
    PairingOutcome outcome = null;
    try {
      outcome = run.execute();
    } finally {
      if (outcome == null) {
        observer.unfinished(next.index());
      }
    }
    observer.finished(new Result(next.index(), outcome, run.metadata(), run.apdus()));
    return Optional.of(outcome);
  }
}
