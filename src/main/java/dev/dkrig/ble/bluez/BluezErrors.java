package dev.dkrig.ble.bluez;

import dev.dkrig.ble.BleException;
import dev.dkrig.ble.BleException.Kind;
import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * D-Bus and BlueZ errors as {@link BleException}s with one line and a fix: error names recovered
 * from dbus-java's and bluez-dbus's exception classes, and BlueZ's refusals of a registration.
 */
final class BluezErrors {
  private BluezErrors() {}

  /** A D-Bus error reply: its name and its text. */
  static final class CallFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String name;

    CallFailure(String name, String text) {
      super(text.isBlank() ? name : name + ": " + text);
      this.name = name;
    }

    String name() {
      return name;
    }
  }

  static BleException refused(String adapter, String what, CallFailure e) {
    String name = e.name();
    String hint;
    if (name.endsWith(".NotPermitted")) {
      hint = "every advertising instance is taken: stop the other advertisers";
    } else if (name.endsWith(".AlreadyExists")) {
      hint = "another dkrig run on this bus still holds it: stop that run";
    } else if (name.endsWith(".InvalidLength")) {
      hint = "the advertising data does not fit 31 bytes";
    } else if (name.endsWith(".NoReply") || name.endsWith(".Timeout")) {
      hint = "bluetoothd did not answer: check journalctl -u bluetooth";
    } else {
      hint = "check journalctl -u bluetooth";
    }
    return new BleException(
        Kind.REGISTRATION_REFUSED,
        "BlueZ refused " + what + " on " + adapter + ": " + e.getMessage(),
        hint,
        e);
  }

  static BleException busError(String doing, Exception e) {
    return new BleException(
        Kind.BUS_ERROR, "D-Bus error " + doing + ": " + errorText(e), "check bluetoothd", e);
  }

  /** The D-Bus error name behind an exception from a dbus-java proxy, as far as it is known. */
  static String errorName(Throwable e) {
    // bluez-dbus maps org.bluez.Error.X onto org.bluez.exceptions.BluezXException.
    String simple = e.getClass().getSimpleName();
    if ("org.bluez.exceptions".equals(e.getClass().getPackageName())
        && simple.startsWith("Bluez")
        && simple.endsWith("Exception")) {
      return "org.bluez.Error." + simple.substring(5, simple.length() - "Exception".length());
    }
    // dbus-java maps org.freedesktop.DBus.Error.X onto org.freedesktop.dbus.errors.X.
    if ("org.freedesktop.dbus.errors".equals(e.getClass().getPackageName())) {
      return "org.freedesktop.DBus.Error." + simple;
    }
    return e.getClass().getName();
  }

  static String errorText(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    // A bare DBusExecutionException has lost its D-Bus error name (see call()): the text it is.
    if (e.getClass() == DBusExecutionException.class) {
      return message.isBlank() ? "D-Bus error" : message;
    }
    return errorName(e) + (message.isBlank() ? "" : ": " + message);
  }

  static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
