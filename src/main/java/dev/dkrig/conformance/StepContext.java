package dev.dkrig.conformance;

import dev.dkrig.ccc.Ins;
import dev.dkrig.iso7816.CommandApdu;
import dev.dkrig.iso7816.ResponseApdu;
import dev.dkrig.pairing.Result;
import dev.dkrig.pairing.protocol.Failures;
import dev.dkrig.transport.TransportException;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * One step while it runs: sends APDUs (each recorded as evidence under the step's name) and
 * collects the step's result and detail. A transport failure ends the scenario as the kernel maps
 * it ({@link Failures#transport}, §18.18): a device that stays silent or answers without a status
 * word FAILs, a lost tag or a broken bench is ERROR.
 */
public final class StepContext {
  private final ScenarioRun run;
  private final String name;
  private Result result = Result.PASS;
  private String detail = "";
  private OptionalInt lastSw = OptionalInt.empty();

  StepContext(ScenarioRun run, String name) {
    this.run = run;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Sends one APDU and returns the answer, whatever its status word. */
  public ResponseApdu send(CommandApdu command) {
    Instant sent = run.clock().now();
    ResponseApdu response = null;
    try {
      response = run.transport().transmit(command);
      lastSw = OptionalInt.of(response.sw());
      return response;
    } catch (TransportException e) {
      throw ScenarioStop.of(Failures.transport(e, Ins.name(command)));
    } finally {
      run.record(new Exchange(name, "", command, response, sent, run.clock().now()));
    }
  }

  /** The step's detail when it passes. */
  public void detail(String text) {
    detail = text;
  }

  /** The step FAILs with this cause; the scenario goes on to its next check. */
  public void fail(String cause) {
    if (result != Result.FAIL && result != Result.ERROR) {
      result = Result.FAIL;
      detail = cause;
    }
  }

  /** The step is inconclusive (ERROR) with this cause. */
  public void error(String cause) {
    if (result != Result.ERROR) {
      result = Result.ERROR;
      detail = cause;
    }
  }

  /** The step reports something the vehicle cannot judge (INFO). */
  public void info(String text) {
    if (result == Result.PASS) {
      result = Result.INFO;
      detail = text;
    }
  }

  /** A FAIL that ends the scenario (a conforming step was refused): throw what this returns. */
  public RuntimeException stop(String cause) {
    return ScenarioStop.fail(cause);
  }

  Result result() {
    return result;
  }

  String detailText() {
    return detail;
  }

  OptionalInt lastSw() {
    return lastSw;
  }
}
