package dev.dkrig.ble.bluez;

import dev.dkrig.ccc.DkProfile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bluez.GattCharacteristic1;
import org.bluez.GattService1;
import org.bluez.datatypes.TwoTuple;
import org.bluez.exceptions.BluezInvalidOffsetException;
import org.bluez.exceptions.BluezNotPermittedException;
import org.bluez.exceptions.BluezNotSupportedException;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.FileDescriptor;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.ObjectManager;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.Variant;

/**
 * The GATT application of §14.2 as BlueZ wants it: an ObjectManager at the root whose
 * GetManagedObjects lists the primary service FFF5 and its one characteristic, Vehicle SPSM (read,
 * 2 bytes big-endian). bluetoothd reads the tree once at RegisterApplication and calls ReadValue
 * when a central reads the characteristic.
 */
final class GattApplication implements ObjectManager {
  private final String path;
  private final Service service;
  private final SpsmCharacteristic characteristic;

  GattApplication(String path, byte[] spsmValue) {
    this.path = path;
    this.service = new Service(path + "/service0");
    this.characteristic =
        new SpsmCharacteristic(
            service.getObjectPath() + "/char0", service.getObjectPath(), spsmValue);
  }

  /** Every object to export, the root first. */
  List<DBusInterface> objects() {
    return List.of(this, service, characteristic);
  }

  @Override
  public String getObjectPath() {
    return path;
  }

  @Override
  public Map<DBusPath, Map<String, Map<String, Variant<?>>>> GetManagedObjects() {
    Map<DBusPath, Map<String, Map<String, Variant<?>>>> objects = new LinkedHashMap<>();
    for (DbusProperties object : List.of(service, characteristic)) {
      objects.put(
          new DBusPath(object.getObjectPath()),
          Map.of(object.interfaceName(), object.properties()));
    }
    return objects;
  }

  /** The primary service FFF5. */
  static final class Service extends DbusProperties implements GattService1 {
    static final String INTERFACE = "org.bluez.GattService1";

    Service(String path) {
      super(INTERFACE, path, propertiesOf());
    }

    private static Map<String, Variant<?>> propertiesOf() {
      Map<String, Variant<?>> p = new LinkedHashMap<>();
      p.put("UUID", new Variant<>(DkProfile.BLE_SERVICE_UUID));
      p.put("Primary", new Variant<>(Boolean.TRUE));
      return p;
    }
  }

  /** Vehicle SPSM: read only; the rig need not listen on the SPSM in v1 (§14.2). */
  static final class SpsmCharacteristic extends DbusProperties implements GattCharacteristic1 {
    static final String INTERFACE = "org.bluez.GattCharacteristic1";
    private final byte[] value;

    SpsmCharacteristic(String path, String servicePath, byte[] value) {
      super(INTERFACE, path, propertiesOf(servicePath));
      this.value = value.clone();
    }

    private static Map<String, Variant<?>> propertiesOf(String servicePath) {
      Map<String, Variant<?>> p = new LinkedHashMap<>();
      p.put("UUID", new Variant<>(DkProfile.BLE_SPSM_CHARACTERISTIC_UUID));
      p.put("Service", new Variant<>(new DBusPath(servicePath)));
      p.put("Flags", new Variant<>(new String[] {"read"}));
      return p;
    }

    /** Honours the {@code offset} option bluetoothd passes for long reads. */
    @Override
    public byte[] ReadValue(Map<String, Variant<?>> options) throws BluezInvalidOffsetException {
      int offset = 0;
      Variant<?> requested = options.get("offset");
      if (requested != null && requested.getValue() instanceof UInt16 u) {
        offset = u.intValue();
      }
      if (offset > value.length) {
        throw new BluezInvalidOffsetException("offset " + offset + " beyond " + value.length);
      }
      return Arrays.copyOfRange(value, offset, value.length);
    }

    @Override
    public void WriteValue(byte[] data, Map<String, Variant<?>> options)
        throws BluezNotPermittedException {
      throw new BluezNotPermittedException("Vehicle SPSM is read only");
    }

    @Override
    public TwoTuple<FileDescriptor, UInt16> AcquireWrite(Map<String, Variant<?>> options)
        throws BluezNotSupportedException {
      throw new BluezNotSupportedException("Vehicle SPSM is read only");
    }

    @Override
    public TwoTuple<FileDescriptor, UInt16> AcquireNotify(Map<String, Variant<?>> options)
        throws BluezNotSupportedException {
      throw new BluezNotSupportedException("Vehicle SPSM does not notify");
    }

    @Override
    public void StartNotify() throws BluezNotSupportedException {
      throw new BluezNotSupportedException("Vehicle SPSM does not notify");
    }

    @Override
    public void StopNotify() {}

    @Override
    public void Confirm() {}
  }
}
