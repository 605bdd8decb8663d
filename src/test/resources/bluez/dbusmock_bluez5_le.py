'''dkrig's BlueZ test double: python-dbusmock's bluez5 template plus LE advertising and GATT.

Run it on a private bus (bench-and-ci notes §4.3):

    /usr/bin/python3 -m dbusmock --session -t dbusmock_bluez5_le.py -l mock.log

The stock bluez5 template has Adapter1 but neither LEAdvertisingManager1 nor GattManager1.
AddAdapter here adds both, and they behave towards the client as bluetoothd does: before
RegisterAdvertisement replies, the mock reads the advertisement with Properties.GetAll on the
caller's connection; before RegisterApplication replies, it calls GetManagedObjects on the
application and ReadValue on every readable characteristic (what a central reading it would
trigger); UnregisterAdvertisement sends Release ([noreply]) to the advertisement; a client that
leaves the bus loses what it registered. Everything it read and did is kept in a record that
tests fetch as JSON with org.bluez.Mock.GetRecord (GetRegistrations: what is registered now).

Switches (org.bluez.Mock on /):
  AddAdapterWithoutLE(name, alias)         an adapter with Adapter1 only (BR/EDR-only controller)
  RefuseRegistration(method, error, text)  the next and every later call of method
                                           (RegisterAdvertisement or RegisterApplication) fails
                                           with that D-Bus error; an empty error clears it
  DelayRegistration(seconds)               RegisterAdvertisement stalls that long first
  BlockAdapter(name)                       rfkill: Powered false, PowerState "off-blocked",
                                           setting Powered true fails like bluetoothd does
'''

import json
import time

import dbus
import dbus.lowlevel
import dbus.service

from dbusmock import mockobject
from dbusmock.templates import bluez5 as base

BUS_NAME = base.BUS_NAME
MAIN_OBJ = base.MAIN_OBJ
SYSTEM_BUS = True
IS_OBJECT_MANAGER = True

MOCK_IFACE = base.BLUEZ_MOCK_IFACE
ADAPTER_IFACE = base.ADAPTER_IFACE
LE_ADVERTISING_MANAGER_IFACE = 'org.bluez.LEAdvertisingManager1'
LE_ADVERTISEMENT_IFACE = 'org.bluez.LEAdvertisement1'
GATT_MANAGER_IFACE = 'org.bluez.GattManager1'
GATT_SERVICE_IFACE = 'org.bluez.GattService1'
GATT_CHARACTERISTIC_IFACE = 'org.bluez.GattCharacteristic1'
OBJECT_MANAGER_IFACE = 'org.freedesktop.DBus.ObjectManager'

# The Bluetooth base UUID: a UUID of this form travels as its 16-bit short form.
BASE_UUID_TAIL = '-0000-1000-8000-00805f9b34fb'
# Legacy advertising data holds 31 bytes (Core Vol 3 Part C §11).
MAX_ADV_DATA = 31
CLIENT_CALL_TIMEOUT = 5

# The remaining stock mock helpers stay available.
RemoveAdapter = base.RemoveAdapter
AddDevice = base.AddDevice


def load(mock, parameters):
    base.load(mock, parameters)
    mock.dkrig_record = []
    mock.dkrig_refusals = {}
    mock.dkrig_delay = 0.0


def _root():
    return mockobject.objects['/']


def _record(event):
    _root().dkrig_record.append(event)


def _signature(value):
    '''The D-Bus signature of a value as dbus-python received it.'''
    if isinstance(value, dbus.Boolean):
        return 'b'
    if isinstance(value, dbus.Byte):
        return 'y'
    if isinstance(value, dbus.Int16):
        return 'n'
    if isinstance(value, dbus.UInt16):
        return 'q'
    if isinstance(value, dbus.Int32):
        return 'i'
    if isinstance(value, dbus.UInt32):
        return 'u'
    if isinstance(value, dbus.Int64):
        return 'x'
    if isinstance(value, dbus.UInt64):
        return 't'
    if isinstance(value, dbus.Double):
        return 'd'
    if isinstance(value, dbus.ObjectPath):
        return 'o'
    if isinstance(value, dbus.Signature):
        return 'g'
    if isinstance(value, dbus.String):
        return 's'
    if isinstance(value, dbus.Array):
        return 'a' + str(value.signature)
    if isinstance(value, dbus.Dictionary):
        return 'a{' + str(value.signature) + '}'
    if isinstance(value, dbus.Struct):
        return '(' + (str(value.signature) if value.signature else '') + ')'
    return '?' + type(value).__name__


def _plain(value):
    '''JSON for a value; the values of a{?v} dictionaries keep their own signature.'''
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, dbus.Dictionary):
        variant_values = str(value.signature).endswith('v')
        return {str(k): (_typed(v) if variant_values else _plain(v)) for k, v in value.items()}
    if isinstance(value, (dbus.Array, dbus.Struct, list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _typed(value):
    return {'signature': _signature(value), 'value': _plain(value)}


def _check_refusal(method):
    refusal = _root().dkrig_refusals.get(method)
    if refusal:
        name, text = refusal
        _record({'event': 'Refused', 'method': method, 'error': name, 'message': text})
        raise dbus.exceptions.DBusException(text, name=name)


def _invalid(text):
    return dbus.exceptions.DBusException(text, name='org.bluez.Error.InvalidArguments')


def _short_uuid(uuid):
    uuid = str(uuid).lower()
    if uuid.endswith(BASE_UUID_TAIL) and uuid.startswith('0000'):
        return bytes.fromhex(uuid[4:8])[::-1]          # 16-bit, little-endian on air
    return bytes.fromhex(uuid.replace('-', ''))[::-1]  # 128-bit, little-endian on air


def _adv_data(adapter, props):
    '''The advertising data bluetoothd would hand the kernel for these properties.

    Flags: LE General Discoverable (0x02) when Discoverable is true; BR/EDR Not Supported (0x04)
    when the adapter has BR/EDR off or the adapter itself is not discoverable (BlueZ
    advertising.c set_flags). The structures follow the contract's order (§14.1): flags,
    service UUIDs, service data.
    '''
    out = bytearray()
    if 'Discoverable' in props:
        if _signature(props['Discoverable']) != 'b':
            raise _invalid('Discoverable must be a boolean')
        flags = 0x02 if props['Discoverable'] else 0x00
        adapter_props = adapter.props[ADAPTER_IFACE]
        if flags and (not adapter_props['Discoverable'] or not adapter.dkrig_bredr):
            flags |= 0x04
        if flags:
            out += bytes([2, 0x01, flags])
    if 'ServiceUUIDs' in props:
        if _signature(props['ServiceUUIDs']) != 'as':
            raise _invalid('ServiceUUIDs must be an array of strings')
        shorts = [_short_uuid(u) for u in props['ServiceUUIDs']]
        for size, ad_type in ((2, 0x03), (16, 0x07)):
            body = b''.join(u for u in shorts if len(u) == size)
            if body:
                out += bytes([len(body) + 1, ad_type]) + body
    if 'ServiceData' in props:
        if _signature(props['ServiceData']) != 'a{sv}':
            raise _invalid('ServiceData must be a{sv}')
        for uuid, data in props['ServiceData'].items():
            if _signature(data) != 'ay':
                raise _invalid(f'ServiceData value for {uuid} must be an array of bytes')
            short = _short_uuid(uuid)
            ad_type = 0x16 if len(short) == 2 else 0x21
            body = short + bytes(int(b) for b in data)
            out += bytes([len(body) + 1, ad_type]) + body
    if len(out) > MAX_ADV_DATA:
        raise dbus.exceptions.DBusException(
            f'advertising data of {len(out)} bytes exceeds {MAX_ADV_DATA}',
            name='org.bluez.Error.InvalidLength')
    return bytes(out)


def _client(adapter, sender, path):
    return adapter.connection.get_object(sender, path, introspect=False)


def _register_advertisement(adapter, path, options, sender=None):
    _check_refusal('RegisterAdvertisement')
    # A slow bluetoothd: the whole mock waits, as a single-threaded daemon would.
    time.sleep(_root().dkrig_delay)
    path = str(path)
    if path in adapter.dkrig_adverts:
        raise dbus.exceptions.DBusException('Already Exists', name='org.bluez.Error.AlreadyExists')
    if len(adapter.dkrig_adverts) >= int(
            adapter.props[LE_ADVERTISING_MANAGER_IFACE]['SupportedInstances']):
        raise dbus.exceptions.DBusException('Maximum advertisements reached',
                                            name='org.bluez.Error.NotPermitted')
    # bluetoothd reads the advertisement from its owner before it answers.
    props = _client(adapter, sender, path).GetAll(
        LE_ADVERTISEMENT_IFACE, dbus_interface=dbus.PROPERTIES_IFACE, timeout=CLIENT_CALL_TIMEOUT)
    kind = str(props.get('Type', ''))
    if kind not in ('broadcast', 'peripheral'):
        raise _invalid(f'Type must be broadcast or peripheral, got {kind!r}')
    data = _adv_data(adapter, props)
    adapter.dkrig_adverts[path] = str(sender)
    adapter.UpdateProperties(LE_ADVERTISING_MANAGER_IFACE, {
        'ActiveInstances': dbus.Byte(len(adapter.dkrig_adverts))})
    _record({'event': 'RegisterAdvertisement', 'adapter': adapter.dkrig_name, 'path': path,
             'sender': str(sender), 'options': _plain(options),
             'properties': _plain(props), 'advData': data.hex().upper()})


def _unregister_advertisement(adapter, path, sender=None):
    path = str(path)
    owner = adapter.dkrig_adverts.get(path)
    if owner is None or owner != str(sender):
        raise dbus.exceptions.DBusException('Does Not Exist', name='org.bluez.Error.DoesNotExist')
    del adapter.dkrig_adverts[path]
    adapter.UpdateProperties(LE_ADVERTISING_MANAGER_IFACE, {
        'ActiveInstances': dbus.Byte(len(adapter.dkrig_adverts))})
    _record({'event': 'UnregisterAdvertisement', 'adapter': adapter.dkrig_name, 'path': path,
             'sender': str(sender)})
    # bluetoothd sends Release, a [noreply] method, before it answers.
    release = dbus.lowlevel.MethodCallMessage(owner, path, LE_ADVERTISEMENT_IFACE, 'Release')
    release.set_no_reply(True)
    adapter.connection.send_message(release)
    _record({'event': 'Release', 'adapter': adapter.dkrig_name, 'path': path, 'to': owner})


def _register_application(adapter, path, options, sender=None):
    _check_refusal('RegisterApplication')
    path = str(path)
    if path in adapter.dkrig_apps:
        raise dbus.exceptions.DBusException('Already Exists', name='org.bluez.Error.AlreadyExists')
    objects = _client(adapter, sender, path).GetManagedObjects(
        dbus_interface=OBJECT_MANAGER_IFACE, timeout=CLIENT_CALL_TIMEOUT)
    services = {str(p): i[GATT_SERVICE_IFACE] for p, i in objects.items() if GATT_SERVICE_IFACE in i}
    characteristics = {str(p): i[GATT_CHARACTERISTIC_IFACE]
                       for p, i in objects.items() if GATT_CHARACTERISTIC_IFACE in i}
    if not services:
        raise _invalid('no GattService1 object under ' + path)
    for p, service in services.items():
        if 'UUID' not in service or 'Primary' not in service:
            raise _invalid(f'{p}: a service needs UUID and Primary')
    reads = {}
    for p, characteristic in characteristics.items():
        for key in ('UUID', 'Service', 'Flags'):
            if key not in characteristic:
                raise _invalid(f'{p}: a characteristic needs {key}')
        if str(characteristic['Service']) not in services:
            raise _invalid(f'{p}: Service {characteristic["Service"]} is not in the application')
        if 'read' in [str(f) for f in characteristic['Flags']]:
            value = _client(adapter, sender, p).ReadValue(
                dbus.Dictionary({'offset': dbus.UInt16(0, variant_level=1)}, signature='sv'),
                dbus_interface=GATT_CHARACTERISTIC_IFACE,
                timeout=CLIENT_CALL_TIMEOUT, byte_arrays=True)
            reads[p] = bytes(value).hex().upper()
    adapter.dkrig_apps[path] = str(sender)
    _record({'event': 'RegisterApplication', 'adapter': adapter.dkrig_name, 'path': path,
             'sender': str(sender), 'options': _plain(options), 'objects': _plain(objects),
             'reads': reads})


def _unregister_application(adapter, path, sender=None):
    path = str(path)
    owner = adapter.dkrig_apps.get(path)
    if owner is None or owner != str(sender):
        raise dbus.exceptions.DBusException('Does Not Exist', name='org.bluez.Error.DoesNotExist')
    del adapter.dkrig_apps[path]
    _record({'event': 'UnregisterApplication', 'adapter': adapter.dkrig_name, 'path': path,
             'sender': str(sender)})


def _install(adapter, interface, name, in_signature, function):
    # Straight into dbusmock's method table, decorated here rather than at module level (the
    # template loader would put module-level methods on /), so that dbus-python passes the
    # caller's unique name: bluetoothd, too, calls back the connection that registered.
    function.__name__ = name   # introspection shows the D-Bus name
    method = dbus.service.method(interface, in_signature=in_signature, out_signature='',
                                 sender_keyword='sender')(function)
    adapter.methods.setdefault(interface, {})[name] = (in_signature, '', '', method)


def _forget_owner(adapter, owner):
    '''bluetoothd drops what a client registered when the client leaves the bus.'''
    if mockobject.objects.get(adapter.path) is not adapter:
        return   # the adapter was removed
    for table, event in ((adapter.dkrig_adverts, 'AdvertisementOwnerLeft'),
                         (adapter.dkrig_apps, 'ApplicationOwnerLeft')):
        for path in [p for p, o in table.items() if o == owner]:
            del table[path]
            _record({'event': event, 'adapter': adapter.dkrig_name, 'path': path,
                     'sender': owner})
    adapter.UpdateProperties(LE_ADVERTISING_MANAGER_IFACE, {
        'ActiveInstances': dbus.Byte(len(adapter.dkrig_adverts))})


@dbus.service.method(MOCK_IFACE, in_signature='ss', out_signature='s')
def AddAdapter(self, device_name, system_name):
    '''An adapter with Adapter1, LEAdvertisingManager1 and GattManager1.'''
    path = base.AddAdapter(self, device_name, system_name)
    adapter = mockobject.objects[path]
    adapter.dkrig_name = str(device_name)
    adapter.dkrig_adverts = {}
    adapter.dkrig_apps = {}
    adapter.dkrig_bredr = True
    adapter.AddProperty(ADAPTER_IFACE, 'PowerState', dbus.String('on'))
    adapter.AddProperties(LE_ADVERTISING_MANAGER_IFACE, {
        'ActiveInstances': dbus.Byte(0),
        'SupportedInstances': dbus.Byte(4),
        'SupportedIncludes': dbus.Array(['tx-power', 'appearance', 'local-name'], signature='s'),
    })
    _install(adapter, LE_ADVERTISING_MANAGER_IFACE, 'RegisterAdvertisement', 'oa{sv}',
             _register_advertisement)
    _install(adapter, LE_ADVERTISING_MANAGER_IFACE, 'UnregisterAdvertisement', 'o',
             _unregister_advertisement)
    _install(adapter, GATT_MANAGER_IFACE, 'RegisterApplication', 'oa{sv}', _register_application)
    _install(adapter, GATT_MANAGER_IFACE, 'UnregisterApplication', 'o', _unregister_application)
    # bluetoothd's GetManagedObjects lists interfaces without properties too.
    adapter.props.setdefault(GATT_MANAGER_IFACE, {})
    self.connection.add_signal_receiver(
        lambda name, old, new: _forget_owner(adapter, str(name)) if name == old and not new
        else None,
        signal_name='NameOwnerChanged', dbus_interface='org.freedesktop.DBus',
        bus_name='org.freedesktop.DBus', path='/org/freedesktop/DBus')
    return path


@dbus.service.method(MOCK_IFACE, in_signature='ss', out_signature='s')
def AddAdapterWithoutLE(self, device_name, system_name):
    '''An adapter with Adapter1 only, as a BR/EDR-only controller shows itself.'''
    path = base.AddAdapter(self, device_name, system_name)
    adapter = mockobject.objects[path]
    adapter.dkrig_name = str(device_name)
    adapter.AddProperty(ADAPTER_IFACE, 'PowerState', dbus.String('on'))
    return path


@dbus.service.method(MOCK_IFACE, in_signature='sss', out_signature='')
def RefuseRegistration(self, method, error_name, message):
    if method not in ('RegisterAdvertisement', 'RegisterApplication'):
        raise _invalid('unknown method ' + method)
    if error_name:
        self.dkrig_refusals[str(method)] = (str(error_name), str(message))
    else:
        self.dkrig_refusals.pop(str(method), None)


def _set_blocked(adapter, interface, name, value):
    if interface == ADAPTER_IFACE and name == 'Powered' and bool(value):
        raise dbus.exceptions.DBusException('Blocked through rfkill', name='org.bluez.Error.Failed')
    mockobject.DBusMockObject.Set(adapter, interface, name, value)


@dbus.service.method(MOCK_IFACE, in_signature='d', out_signature='')
def DelayRegistration(self, seconds):
    '''RegisterAdvertisement waits this long before it reads the advertisement.'''
    self.dkrig_delay = float(seconds)


@dbus.service.method(MOCK_IFACE, in_signature='s', out_signature='')
def BlockAdapter(self, device_name):
    '''rfkill blocks the adapter: it is off and bluetoothd cannot power it.'''
    adapter = mockobject.objects['/org/bluez/' + device_name]
    adapter.UpdateProperties(ADAPTER_IFACE, {
        'Powered': dbus.Boolean(False), 'PowerState': dbus.String('off-blocked')})
    adapter.AddMethod(dbus.PROPERTIES_IFACE, 'Set', 'ssv', '', _set_blocked)


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='s')
def GetRecord(self):
    '''Everything the mock read from clients and did for them, oldest first, as JSON.'''
    return json.dumps(self.dkrig_record)


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='s')
def GetRegistrations(self):
    '''What is registered now, per adapter, as JSON: {"hci0": {"advertisements": [...], ...}}.'''
    state = {}
    for path in list(mockobject.objects):
        adapter = mockobject.objects[path]
        if hasattr(adapter, 'dkrig_adverts'):
            state[adapter.dkrig_name] = {'advertisements': sorted(adapter.dkrig_adverts),
                                         'applications': sorted(adapter.dkrig_apps)}
    return json.dumps(state)
