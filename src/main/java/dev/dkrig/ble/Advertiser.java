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
    return new Advertiser() {
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
