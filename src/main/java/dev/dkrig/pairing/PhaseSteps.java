package dev.dkrig.pairing;

import dev.dkrig.pairing.protocol.VehicleSession;
import dev.dkrig.time.RigClock;

/**
 * What every phase's steps share: the settings, the recorder of step results, the clock, the link
 * to the device with the protocol kernel's session over it, and the run's waits.
 */
abstract class PhaseSteps {
  final VehicleSettings settings;
  final StepRecorder recorder;
  final RigClock clock;
  final VehicleLink link;
  final VehicleSession session;
  final RunWaits waits;

  /** The parts every phase is built from. */
  record Parts(
      VehicleSettings settings,
      StepRecorder recorder,
      RigClock clock,
      VehicleLink link,
      RunWaits waits) {}

  PhaseSteps(Parts parts) {
    this.settings = parts.settings();
    this.recorder = parts.recorder();
    this.clock = parts.clock();
    this.link = parts.link();
    this.session = parts.link().session();
    this.waits = parts.waits();
  }

  void enter(Step step) {
    recorder.enter(step);
  }

  void pass(Step step, String detail) {
    recorder.pass(step, detail);
  }

  void note(String text) {
    recorder.note(text);
  }

  void emit(HuEvent event) {
    recorder.emit(event);
  }
}
