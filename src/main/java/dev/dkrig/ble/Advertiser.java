package dev.dkrig.ble;

/**
 * Pairing-mode BLE advertising and GATT (§14). BlueZ implements it on a bench; the virtual rig
 * disables BLE, so P1.6.2 is SKIPPED (§2).
 */
public interface Advertiser extends AutoCloseable {

  /** False when BLE is turned off by the rig: P1.6.2 is then SKIPPED. */
  boolean enabled();

  /** Registers the advertisement and the GATT application; throws with a one-line cause. */
  void start(AdvertisingData data);

  /** Unregisters; harmless when not advertising. Never throws. */
  void stop();

  boolean advertising();

  /** What the report should say about the advertising (adapter, address used); may be empty. */
  default String describe() {
    return "";
  }

  @Override
  default void close() {
    stop();
  }

  /** The advertiser of a rig with {@code ble: off}. */
  static Advertiser disabled() {
    return disabled("BLE disabled by the rig (ble: off)");
  }

  /**
   * BLE on, but the adapter could not be opened: starting fails with this one-line cause, so P1.6.2
   * ends ERROR (§2) instead of the run failing before it starts.
   */
  static Advertiser failing(String cause) {
    return new Advertiser() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public void start(AdvertisingData data) {
        throw new IllegalStateException(cause);
      }

      @Override
      public void stop() {}

      @Override
      public boolean advertising() {
        return false;
      }
    };
  }

  /** BLE off, with the reason P1.6.2's SKIPPED record gives. */
  static Advertiser disabled(String reason) {
    return new Advertiser() {
      @Override
      public String describe() {
        return reason;
      }

      @Override
      public boolean enabled() {
        return false;
      }

      @Override
      public void start(AdvertisingData data) {
        throw new IllegalStateException("BLE is disabled");
      }

      @Override
      public void stop() {}

      @Override
      public boolean advertising() {
        return false;
      }
    };
  }
}
