/**
 * The virtual device: a simulated phone or CCC test card that answers the vehicle over a {@link
 * dev.dkrig.iso7816.ContactlessCard}. {@link dev.dkrig.device.VirtualDevice} hosts the DK Framework
 * and the DK applet with the state machines of §3.6 of the contract, a store of committed Digital
 * Keys and a {@link dev.dkrig.device.SimulatedKts}; {@link dev.dkrig.device.DeviceSettings} says
 * what it is made of, and {@link dev.dkrig.device.T1Material} holds the public T1 test material
 * (§17.4) that test mode uses.
 *
 * <p>The device shares the {@code ccc} codecs and crypto with the vehicle but no state: it learns
 * everything from APDU bytes.
 */
package dev.dkrig.device;
