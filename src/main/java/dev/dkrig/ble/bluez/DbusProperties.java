package dev.dkrig.ble.bluez;

import java.util.Collections;
import java.util.Map;
import org.freedesktop.dbus.errors.PropertyReadOnly;
import org.freedesktop.dbus.errors.UnknownInterface;
import org.freedesktop.dbus.errors.UnknownProperty;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/**
 * {@code org.freedesktop.DBus.Properties} for the rig's exported objects: one interface, fixed
 * read-only properties. bluetoothd reads them with GetAll (advertisement) or through
 * GetManagedObjects (GATT); Get and Set are there for tools such as busctl.
 */
abstract class DbusProperties implements Properties {
  private final String interfaceName;
  private final String path;
  private final Map<String, Variant<?>> properties;

  /**
   * @param properties the properties of {@code interfaceName}, in a fixed order
   */
  DbusProperties(String interfaceName, String path, Map<String, Variant<?>> properties) {
    this.interfaceName = interfaceName;
    this.path = path;
    this.properties = Collections.unmodifiableMap(properties);
  }

  /** The properties of {@link #interfaceName}, in a fixed order. */
  final Map<String, Variant<?>> properties() {
    return properties;
  }

  String interfaceName() {
    return interfaceName;
  }

  @Override
  public final String getObjectPath() {
    return path;
  }

  @Override
  public Map<String, Variant<?>> GetAll(String iface) {
    if (!interfaceName.equals(iface)) {
      throw new UnknownInterface(getObjectPath() + " has no interface " + iface);
    }
    return properties();
  }

  @Override
  public <A> A Get(String iface, String name) {
    Variant<?> value = GetAll(iface).get(name);
    if (value == null) {
      throw new UnknownProperty(iface + " has no property " + name);
    }
    return asCallerType(value);
  }

  @Override
  public <A> void Set(String iface, String name, A value) {
    throw new PropertyReadOnly(iface + "." + name + " is read-only");
  }

  // dbus-java declares Get generic in its result; the value leaves as a D-Bus variant whatever A
  // the caller names, so this cast cannot be checked and cannot fail on the wire.
  @SuppressWarnings("unchecked")
  private static <A> A asCallerType(Variant<?> value) {
    return (A) value;
  }
}
