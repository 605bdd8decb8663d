package dev.dkrig.pairing;

import dev.dkrig.ccc.EcKeyPair;
import dev.dkrig.ccc.P256;
import dev.dkrig.ccc.pki.TrustAnchor;
import dev.dkrig.ccc.spake2.Spake2;
import dev.dkrig.ccc.spake2.VehicleSpake2;
import dev.dkrig.ccc.spake2.Verifier;
import dev.dkrig.random.Draws;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Issue 20: the vehicle's work that does not depend on the device, done on the other core while
 * P1.4 derives the verifier and the car waits for the phone: y·G, the ephemeral key pairs and
 * transaction identifiers of the phase-3 and phase-4 transactions, the trust anchors' tables; once
 * w0 is known, w0·N, w0·M, {@code V = y·L} and the share Y.
 *
 * <p>The draws are taken here, on the run's thread, in the order a run without precomputation takes
 * them (y, then the ephemeral key and transaction identifier of each transaction, §18.2), so {@code
 * --seed} and test mode reproduce the same values byte for byte; only the point multiplications
 * move to the worker. A transaction beyond those drawn ahead draws when it is asked for, as before.
 */
final class Precomputation implements AutoCloseable {
  /** One standard transaction's vehicle inputs (§11.2): its ephemeral key pair and identifier. */
  record Transaction(EcKeyPair ephemeral, byte[] transactionId) {}

  private static final int TRANSACTION_ID_LENGTH = 16;

  private final Draws draws;
  private final ExecutorService worker;
  private final BigInteger y;
  private final Deque<Future<Transaction>> transactions = new ArrayDeque<>();
  private final Future<ECPoint> yTimesG;
  private Future<VehicleSpake2> spake2;
  private Verifier spake2Verifier;

  private Precomputation(Draws draws, int transactionsAhead, List<TrustAnchor> anchors) {
    this.draws = draws;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "dkrig-precompute");
              t.setDaemon(true);
              return t;
            });
    this.y = draws.scalar(Draws.Names.SPAKE2_Y);
    for (int i = 0; i < transactionsAhead; i++) {
      BigInteger ephemeral = draws.scalar(Draws.Names.VEHICLE_EPHEMERAL);
      byte[] txid = draws.bytes(Draws.Names.TRANSACTION_ID, TRANSACTION_ID_LENGTH);
      transactions.add(
          worker.submit(() -> new Transaction(EcKeyPair.fromPrivate(ephemeral), txid)));
    }
    this.yTimesG = worker.submit(() -> P256.multiplyG(y));
    worker.submit(
        () -> {
          // The fixed-base tables of §5.1's constants and the anchors' verification tables.
          P256.prepareFixed(Spake2.M);
          P256.prepareFixed(Spake2.N);
          anchors.forEach(TrustAnchor::prepare);
        });
  }

  /**
   * Draws y and {@code transactionsAhead} transactions' inputs now, on this thread, and starts the
   * worker on their points.
   */
  static Precomputation start(Draws draws, int transactionsAhead, List<TrustAnchor> anchors) {
    return new Precomputation(draws, transactionsAhead, anchors);
  }

  /** P1.4 has a verifier: the worker computes Y, w0·M and V = y·L for it. */
  void verifierKnown(Verifier verifier) {
    spake2Verifier = verifier;
    spake2 = worker.submit(() -> VehicleSpake2.withScalar(verifier, y, yTimesG.get()).prepare());
  }

  /** The SPAKE2+ verifier role for P2.3 with the run's y, computed ahead where it could be. */
  VehicleSpake2 spake2(Verifier verifier) {
    if (spake2 == null || !verifier.equals(spake2Verifier)) {
      return VehicleSpake2.withScalar(verifier, y);
    }
    return await(spake2);
  }

  /** The next transaction's ephemeral key pair and identifier, drawn ahead or now. */
  Transaction nextTransaction() {
    Future<Transaction> ahead = transactions.poll();
    if (ahead != null) {
      return await(ahead);
    }
    return new Transaction(
        EcKeyPair.fromPrivate(draws.scalar(Draws.Names.VEHICLE_EPHEMERAL)),
        draws.bytes(Draws.Names.TRANSACTION_ID, TRANSACTION_ID_LENGTH));
  }

  private static <T> T await(Future<T> future) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          // The value is moments away; the run's own interrupt handling comes after.
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException("precomputation failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
