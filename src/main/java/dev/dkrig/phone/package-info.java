/**
 * The phone role ({@code dkrig phone}, issue 19): dkrig's virtual device answers a vehicle under
 * test, and the phone judges from its side whether the vehicle behaved as the contract says, one
 * result per step of the 42-step catalogue. The rules are {@code docs/phone-role.md}.
 *
 * <p>{@link dev.dkrig.phone.PhoneRun} is the engine: a host (vpcd server, PN532 target) carries its
 * {@link dev.dkrig.phone.PhoneRun#card()}; every field event and APDU is logged as a {@link
 * dev.dkrig.phone.PhoneEvent}, answered by the device and judged incrementally; {@link
 * dev.dkrig.phone.PhoneRun#await()} returns the {@link dev.dkrig.phone.PhoneOutcome} when the run
 * ends by itself.
 */
package dev.dkrig.phone;
