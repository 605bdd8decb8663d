package dev.dkrig.conformance.vehicle;

import dev.dkrig.iso7816.ContactlessCard;
import java.time.Duration;

/**
 * Where the suite's phone meets the vehicle under test: a vpcd reader slot ({@link VpcdHost}), or
 * an in-process reader in tests. The host carries one card at a time; each scenario hands it the
 * next phone.
 */
public interface PhoneHost extends AutoCloseable {

  /** The phone the vehicle meets from now on. */
  void serve(ContactlessCard card);

  /**
   * Takes the phone out of the field now and brings it back after {@code absence} (the device quirk
   * {@code leave-field-mid-stream}). Called from the thread that is answering a command.
   */
  void leaveField(Duration absence);

  /** How reports name the host: {@code vpcd 127.0.0.1:35963}. */
  String description();

  @Override
  void close();
}
