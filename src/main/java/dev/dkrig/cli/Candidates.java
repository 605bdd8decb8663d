package dev.dkrig.cli;

import dev.dkrig.time.TimerName;
import dev.dkrig.transport.FaultInjectingTransport;
import java.util.Arrays;
import java.util.Iterator;

/**
 * What shell completion offers for options whose values come from a catalogue (issue 18): each list
 * is read from the enum that the option's parser accepts, so the two cannot drift.
 */
final class Candidates {
  private Candidates() {}

  /** {@code --timer}: the contract's §13 timer names, each ready for its duration. */
  static final class TimerAssignments implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(TimerName.values()).map(t -> t.name() + "=").iterator();
    }
  }

  /** {@code --inject-fault}: each kind, ready for its exchange number or its delay. */
  static final class FaultKinds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(FaultInjectingTransport.Fault.Kind.values())
          .map(k -> k == FaultInjectingTransport.Fault.Kind.DELAY ? "delay:" : k.label() + "@")
          .iterator();
    }
  }
}
